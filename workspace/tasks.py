"""Thin Celery doors to the workspace's jobs. They take ids and run after commit.

Imports acknowledge late and are re-queued if the worker dies (kill -9): the run happens in one
transaction, so a half-done run leaves nothing, and the retried run starts clean.
"""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_job_run_task(job_id: int) -> None:
    from .imports.jobs import import_job_run

    import_job_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_job_run_task(job_id: int) -> None:
    from .exports.jobs import export_job_run

    export_job_run(job_id=job_id)


@shared_task
def jobs_requeue_stalled_task() -> int:
    """Imports and exports whose worker died are sent again (workspace.stalled_jobs)."""
    from .stalled_jobs import jobs_requeue_stalled

    return jobs_requeue_stalled()
