"""Celery tasks of the exports app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from tracker.exports import services


@shared_task(name="tracker.exports.tasks.build_export", acks_late=True)
def build_export(job_id: str) -> str:
    """Build a report job's file.

    Safe to run twice: a finished job is left as it is, and an interrupted one (a worker killed
    half-way leaves it "running") is rebuilt from the computed tables into the same job, replacing
    any partial file.
    """
    job = services.export_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


@shared_task(name="tracker.exports.tasks.purge_expired_exports")
def purge_expired_exports() -> int:
    """Delete the files of expired report jobs. Safe to run twice: an expired job is purged once."""
    return services.export_jobs_purge()
