"""The journal: the recording transaction appends its deltas, a fold applies them."""

import contextlib
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from core.activity import ActivityDelta
from core.rows import RowsInsert

from ..models import TallyJournal
from .apply import apply_deltas, as_date, tally_lock

# A recording transaction INSERTs its deltas into TallyJournal (one statement, no shared row
# touched: concurrent visits to one ward no longer queue on its tally rows). `tallies_fold`
# moves journal rows into the tables in batches: PostgreSQL locks the rows it takes with
# FOR UPDATE SKIP LOCKED, so concurrent folds take disjoint rows and each row is applied once
# (applied and deleted in one transaction); SQLite serialises folds (a process lock and the
# database's write lock taken first). When tasks run eagerly (the embedded default, the tests)
# the recording transaction folds at once, so totals read right after a write are current.
# Otherwise the fold is a Celery task dispatched after commit, deduplicated through the cache,
# plus a beat entry every few seconds as a safety net (`totals_freshness_s` <= 5).
FOLD_QUEUED_KEY = "tallies-fold-queued"
# A fold dispatched on commit waits this long, gathering the visits of a burst into one batch.
FOLD_DELAY_S = 0.5
# How long the "a fold is queued" mark lives if the fold never starts (a lost message).
FOLD_QUEUED_TTL_S = 5
FOLD_BATCH = 2000
FOLD_MAX_BATCHES = 50
_sqlite_fold_lock = threading.Lock()


def fold_inline() -> bool:
    """Fold in the recording transaction? settings.TALLIES_FOLD_INLINE if set, else whenever
    Celery runs tasks eagerly (no broker: nobody else would fold)."""
    setting = getattr(settings, "TALLIES_FOLD_INLINE", None)
    if setting is not None:
        return bool(setting)
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


# A journal row's columns in the order `journal_delta` reads them.
JOURNAL_DELTA_FIELDS = ("area_id", "day", "volunteer_id", "household_id", "counts")


def journal_delta(row: tuple) -> ActivityDelta:
    """The delta a journal row holds (its JOURNAL_DELTA_FIELDS, in order)."""
    area_id, day, volunteer_id, household_id, counts = row
    return ActivityDelta(
        area_id=area_id,
        day=as_date(day),
        counts=counts,
        volunteer_id=volunteer_id,
        household_id=household_id,
    )


# The journal's row, written out (core.rows): it is appended with every visit, and the ORM's
# bulk_create cost several times the statement itself.
JOURNAL_ROWS = RowsInsert(
    TallyJournal, ["area_id", "day", "volunteer_id", "household_id", "counts", "created_at"]
)


def journal_append(deltas: list[ActivityDelta]) -> None:
    """One multi-row INSERT of the deltas (the caller's transaction)."""
    if not deltas:
        return
    now = timezone.now()
    rows = [
        (
            delta.area_id,
            delta.day,
            delta.volunteer_id,
            delta.household_id,
            {key: value for key, value in delta.counts.items() if value},
            now,
        )
        for delta in deltas
    ]
    with connection.cursor() as cursor:
        cursor.execute(JOURNAL_ROWS.values_sql(len(rows)), JOURNAL_ROWS.values_params(rows))


def _take_and_apply(limit: int) -> int:
    """Lock up to `limit` journal rows no other fold holds, apply and delete them (the caller
    holds a transaction and the shared lock); return how many."""
    rows = list(
        TallyJournal.objects.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", *JOURNAL_DELTA_FIELDS)[:limit]
    )
    if not rows:
        return 0
    apply_deltas([journal_delta(row[1:]) for row in rows])
    TallyJournal.objects.filter(pk__in=[row[0] for row in rows]).delete()
    return len(rows)


def _fold_batch(limit: int) -> int:
    with transaction.atomic():
        if connection.vendor == "sqlite":
            # Take the database's write lock before reading: no other fold reads the same rows.
            TallyJournal.objects.filter(pk__lt=0).delete()
        tally_lock(shared=True)
        return _take_and_apply(limit)


def tallies_fold(*, batch: int = FOLD_BATCH, max_batches: int = FOLD_MAX_BATCHES) -> int:
    """Fold pending journal rows into the summary tables; return how many were folded.
    Safe to run concurrently (each row is folded exactly once)."""
    folded = 0
    lock = _sqlite_fold_lock if connection.vendor == "sqlite" else contextlib.nullcontext()
    with lock:
        for _ in range(max_batches):
            count = _fold_batch(batch)
            folded += count
            if count < batch:
                break
    return folded


def tallies_pending() -> tuple[int, float]:
    """(journal rows waiting, age in seconds of the oldest): the totals' freshness."""
    row = TallyJournal.objects.aggregate(count=Count("pk"), oldest=Min("created_at"))
    age = (timezone.now() - row["oldest"]).total_seconds() if row["oldest"] else 0.0
    return row["count"], age


def tallies_record(*, deltas: list[ActivityDelta]) -> bool:
    """Take a recording's deltas, in its transaction. When folds run inline they are applied
    at once (True); otherwise they wait in the journal (False: the caller queues a fold after
    commit, see campaigns.dispatch)."""
    if fold_inline():
        with transaction.atomic():
            # The shared lock before the journal's: the same order as a rebuild takes them.
            tally_lock(shared=True)
            journal_append(deltas)
            _take_and_apply(FOLD_BATCH)
        return True
    journal_append(deltas)
    return False
