"""What other processes of the deployment do, run as `python -m tests.integration.actions ...`:

approve <submission id> <element code> <value>   approve a corrected figure (as tracker.reporting does)
enqueue <task name>                              send a task as celery beat would
"""

from __future__ import annotations

import sys
from decimal import Decimal

import django


def approve(submission_id: int, element_code: str, value: str) -> None:
    from django.db import transaction
    from django.utils import timezone

    from tracker.progress.services import figures_changed
    from tracker.reporting.models import DataValue, Submission

    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        DataValue.objects.filter(submission=submission, element__code=element_code).update(
            value=Decimal(value), approved_value=Decimal(value)
        )
        submission.status = Submission.Status.APPROVED
        submission.approved_at = timezone.now()
        submission.has_official_values = True
        submission.save(update_fields=["status", "approved_at", "has_official_values"])
        figures_changed(
            province_id=submission.province_id, period_start=submission.period_start, period_end=submission.period_end
        )
    print("approved")


def enqueue(task_name: str) -> None:
    from tracker.progress import tasks

    getattr(tasks, task_name).apply_async(retry=True, retry_policy={"max_retries": 3})
    print("enqueued")


def main(argv: list[str]) -> None:
    django.setup()
    action, *args = argv
    if action == "approve":
        approve(int(args[0]), args[1], args[2])
    elif action == "enqueue":
        enqueue(args[0])
    else:
        raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    main(sys.argv[1:])
