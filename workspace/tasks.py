"""The workspace's old Celery doors, kept for messages queued before the upgrade to the one
job runner (core.jobs.tasks): a deploy does not lose an import or export waiting in Redis.
They take ids and go to the runner by the kind's label, importing nothing of the workspace.

Remove those once no worker runs a release older than the runner. The nightly retention run
(`retention_apply_task`) is here to stay.
"""

from celery import shared_task

from core.jobs.runner import job_run, jobs_requeue_stalled


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_job_run_task(job_id: int) -> None:
    job_run(kind="workspace.importjob", job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_job_run_task(job_id: int) -> None:
    job_run(kind="workspace.exportjob", job_id=job_id)


@shared_task
def jobs_requeue_stalled_task() -> int:
    """A beat message sent by the old schedule: the one sweep over every kind now."""
    return jobs_requeue_stalled()


@shared_task
def retention_apply_task() -> dict[str, int]:
    """Nightly: remove the personal data whose retention period is over (workspace.retention)."""
    from .retention import retention_apply

    return {result.key: result.removed for result in retention_apply()}
