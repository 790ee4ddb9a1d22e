import datetime
import logging

from celery import shared_task
from django.utils import timezone

from tracker.ops.heartbeat import heartbeat_record

logger = logging.getLogger(__name__)

# A report job queued this long ago and never started was not published (the broker was down or
# hung when it was asked for): it is published again.
UNPUBLISHED_AFTER = datetime.timedelta(minutes=5)


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Stamp the heartbeat. Safe to run twice: the stamp is overwritten with a later time."""
    heartbeat_record()


@shared_task(ignore_result=True)
def republish_queued_exports() -> int:
    """Publish report jobs still queued after UNPUBLISHED_AFTER. Safe to run twice: building a job
    twice rebuilds the same file, and a finished job is left alone (exports.services.export_job_run)."""
    from tracker.exports.models import ExportJob
    from tracker.exports.tasks import build_export

    stale = ExportJob.objects.filter(
        status=ExportJob.Status.QUEUED, created_at__lt=timezone.now() - UNPUBLISHED_AFTER
    ).values_list("pk", flat=True)[:100]
    count = 0
    for pk in stale:
        build_export.delay(str(pk))
        count += 1
    if count:
        logger.info("republished %d queued export jobs", count)
    return count
