"""Thin Celery doors to the services. Queued through campaigns.dispatch, never from below."""

from celery import shared_task
from django.core.cache import cache

from core.jobs.runner import job_run

from .registry_drift import registry_check_drift as registry_check_run
from .tallies.drift import tallies_check_drift as check_drift_run
from .tallies.journal import FOLD_QUEUED_KEY
from .tallies.journal import tallies_fold as fold_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_build(job_id: int) -> None:
    """Kept for messages queued before the one job runner (core.jobs.tasks) took reports over."""
    job_run(kind="campaigns.reportjob", job_id=job_id)


@shared_task(acks_late=True)
def tallies_check_drift() -> int:
    """Nightly: recompute from the raw records and store a DriftReport (must show zero)."""
    return check_drift_run().drift_count


@shared_task(acks_late=True)
def registry_check_drift() -> int:
    """Nightly: recount every group's households and store a DriftReport (must show zero)."""
    return registry_check_run().drift_count


@shared_task(acks_late=True, ignore_result=True)
def tallies_fold() -> int:
    """Fold the tallies journal into the summary tables (queued after a recording commits,
    and every few seconds by beat as a safety net). Concurrent runs are safe."""
    # From here on, a new commit queues another fold: no row waits for the beat.
    cache.delete(FOLD_QUEUED_KEY)
    return fold_run()
