"""Queueing the campaigns' Celery tasks: the one module below the views that imports tasks.

Services and the tallies' receiver call these; the tasks themselves import the services they
run. So the graph runs one way (dispatch → tasks → services, report, tallies) and nothing that
a task runs imports the tasks back.
"""

import logging
import time

from django.core.cache import cache
from django.db import connection, transaction

from . import tasks
from .tallies.journal import FOLD_DELAY_S, FOLD_QUEUED_KEY, FOLD_QUEUED_TTL_S

logger = logging.getLogger(__name__)


class _LocalDispatch:
    """When this process last saw a fold queued and not yet started: it queued one itself, or
    the cache's mark said another process had. For a short window after, a commit here skips
    the cache (one round trip less on the sync endpoint's every visit). A fold this process
    queued starts no sooner than FOLD_DELAY_S later and folds the window's commits; one queued
    elsewhere may start within the window, and then a commit made after its start waits for
    the next dispatch of a busy server, or for the beat's fold on a quiet one: the totals trail
    by at most its period (3 s), inside the freshness goal of 5 s."""

    WINDOW_S = FOLD_DELAY_S * 0.6

    def __init__(self) -> None:
        self.seen_at = float("-inf")

    def covered(self) -> bool:
        return time.monotonic() - self.seen_at < self.WINDOW_S

    def mark(self) -> None:
        self.seen_at = time.monotonic()

    def forget(self) -> None:
        self.seen_at = float("-inf")


local_dispatch = _LocalDispatch()


def fold_dispatch() -> None:
    """After commit: queue one fold unless one is already queued (a burst queues one)."""
    if local_dispatch.covered():
        return
    try:
        if cache.add(FOLD_QUEUED_KEY, 1, timeout=FOLD_QUEUED_TTL_S):
            tasks.tallies_fold.apply_async(countdown=FOLD_DELAY_S)
        local_dispatch.mark()
    except Exception:  # the broker or cache is down: the beat fold catches up
        logger.exception("could not queue a tallies fold")


def fold_dispatch_on_commit() -> None:
    """Register fold_dispatch once per transaction (several records in one transaction)."""
    pending = getattr(connection, "run_on_commit", None) or []
    if any(entry[1] is fold_dispatch for entry in pending if len(entry) > 1):
        return
    transaction.on_commit(fold_dispatch)
