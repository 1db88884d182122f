"""Thin Celery doors to the people services."""

from celery import shared_task


@shared_task
def assignments_release_expired_task() -> int:
    from .assignments import assignment_release_expired

    return assignment_release_expired()
