from celery import shared_task

from tracker.ops.heartbeat import heartbeat_record


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Stamp the heartbeat. Safe to run twice: the stamp is overwritten with a later time."""
    heartbeat_record()
