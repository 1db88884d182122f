"""The one Celery door for every long job: it takes a kind's label and an id.

acks_late with reject_on_worker_lost: a worker killed mid-run (out of memory, a deploy) leaves
the message to be delivered again, and the run's attempt counter stops a job that keeps killing
its workers (core.jobs.runner).
"""

from celery import shared_task

from .runner import job_run, jobs_requeue_stalled


@shared_task(acks_late=True, reject_on_worker_lost=True)
def job_run_task(kind: str, job_id: int) -> None:
    job_run(kind=kind, job_id=job_id)


@shared_task
def jobs_requeue_stalled_task() -> int:
    """Beat, every minute: jobs of every kind whose worker died are sent again."""
    return jobs_requeue_stalled()
