"""Celery application.

With REDIS_URL set, tasks go to Redis and a worker runs them; without it, settings turn on
eager mode so the same tasks run in-process (the embedded default).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
