"""Kept for messages queued before the one job runner (core.jobs.tasks) took imports over."""

from celery import shared_task

from core.jobs.runner import job_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def session_import(import_id: int) -> None:
    job_run(kind="trainings.sessionimport", job_id=import_id)
