"""Settings for the worker-kill test's workers: a message taken by a killed worker is handed out
again after 5 seconds (not the production hour), and abandoned messages are looked for every second."""

from tracker.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
