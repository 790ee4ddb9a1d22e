from celery.schedules import crontab
from django.conf import settings

from tracker.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_reminders_run_every_morning_and_the_digest_on_mondays_vietnam_time():
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["notifications-reminders"]["schedule"] == crontab(hour=7, minute=0)
    assert schedule["notifications-digest"]["schedule"] == crontab(hour=7, minute=30, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
