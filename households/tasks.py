"""Thin Celery doors to the households services."""

from celery import shared_task


@shared_task
def review_scan_recent_task() -> int:
    """Flag padded-looking visits of the last days in every ward (households.review)."""
    from .review import review_scan_all

    return review_scan_all()
