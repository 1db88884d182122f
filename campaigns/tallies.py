"""Summary tables kept in step with the records.

The recording transaction only appends its ActivityDeltas to TallyJournal (one INSERT, no
shared row touched, so concurrent visits to one ward never queue on its tally rows); a fold
(`tallies_fold`: a Celery task queued after commit, a beat entry every few seconds, or at once
in the recording transaction when tasks run eagerly) applies journal rows in batches and
deletes them in the same transaction. Applying a batch nets its deltas per key, then each lands
as an UPSERT increment on AreaDayTally at the leaf area AND each of its ancestors, and on
VolunteerDayTally likewise.
A volunteer row that turns active (activity 0 → > 0) adds one participation to the area's
day; one that turns inactive removes it — so participations are distinct (volunteer, day)
at every level, exactly, without reading the raw records.

Each campaign whose period holds the day and whose scope holds the area gets the same
increments on its own rows: CampaignAreaTally (its totals per area over the whole period) and
CampaignVolunteerTally (per volunteer and area; `active_days` moves with the volunteer-day
transitions above). A campaign-volunteer row that turns active adds one to the campaign
area's `unique_volunteers`, one that turns inactive removes it. A dashboard then reads one row
per area shown (plus one per day for the trend), whatever the number of visits, volunteers
and days behind them. When a campaign is created or its period or scope changes, its rows are
refilled set-based from the day tables (`campaign_tallies_refresh`).

`tallies_from_deltas` computes all four tables in memory from a stream of deltas: it is the
rebuild, the drift check and the property tests' oracle.
"""

import contextlib
import datetime
import itertools
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from areas.models import Area
from core.activity import (
    ACTIVITY_SOURCES,
    PARTICIPATIONS,
    PRESENCE,
    ActivityDelta,
    Indicator,
    activity_changed,
)

from .models import (
    AreaDayTally,
    Campaign,
    CampaignAreaTally,
    CampaignVolunteerTally,
    DriftReport,
    TallyJournal,
    VolunteerDayTally,
)

logger = logging.getLogger(__name__)

INDICATORS: list[str] = list(Indicator.values)
AREA_COLUMNS: list[str] = [*INDICATORS, PARTICIPATIONS]
UNIQUE = "unique_volunteers"
CAMPAIGN_AREA_COLUMNS: list[str] = [*AREA_COLUMNS, UNIQUE]
ACTIVE_DAYS = "active_days"
CAMPAIGN_VOLUNTEER_COLUMNS: list[str] = [*INDICATORS, ACTIVE_DAYS]
VOLUNTEER_COLUMNS: list[str] = [*INDICATORS, PRESENCE]
CHUNK = 400
# Recording transactions hold this advisory lock shared, a campaign refill holds it alone: a
# refill never misses a delta committed while it reads (PostgreSQL; SQLite writes serially).
TALLY_LOCK = 0x74756E67

AreaKey = tuple[int, datetime.date]
VolunteerKey = tuple[int, int, datetime.date]
CampaignAreaKey = tuple[int, int]
CampaignVolunteerKey = tuple[int, int, int]


@dataclass
class Tallies:
    areas: dict[AreaKey, dict[str, int]] = field(default_factory=dict)
    volunteers: dict[VolunteerKey, dict[str, int]] = field(default_factory=dict)
    campaign_areas: dict[CampaignAreaKey, dict[str, int]] = field(default_factory=dict)
    campaign_volunteers: dict[CampaignVolunteerKey, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """What a campaign's rows depend on: its scope and period."""

    pk: int
    scope_id: int
    start: datetime.date
    end: datetime.date


def _zero(columns: list[str]) -> dict[str, int]:
    return dict.fromkeys(columns, 0)


def ancestor_ids_by_leaf(area_ids: Iterable[int]) -> dict[int, list[int]]:
    """Two queries: each leaf's id mapped to the ids of itself and every unit above it."""
    leaf_paths = dict(Area.objects.filter(pk__in=set(area_ids)).values_list("pk", "path"))
    wanted = {
        path[:end]
        for path in leaf_paths.values()
        for end in range(Area.steplen, len(path) + 1, Area.steplen)
    }
    id_by_path = dict(Area.objects.filter(path__in=wanted).values_list("path", "pk"))
    return {
        leaf: [id_by_path[path[:end]] for end in range(Area.steplen, len(path) + 1, Area.steplen)]
        for leaf, path in leaf_paths.items()
    }


def _chains(ancestors: dict[int, list[int]]) -> dict[int, list[int]]:
    """Every area on the leaves' chains mapped to its own chain (itself and above)."""
    chains: dict[int, list[int]] = {}
    for chain in ancestors.values():
        for index, area_id in enumerate(chain):
            chains.setdefault(area_id, chain[: index + 1])
    return chains


class Coverage:
    """Which campaigns count an (area, day): period holds the day, scope holds the area."""

    def __init__(self, spans: Iterable[Span], chains: dict[int, list[int]]) -> None:
        self.by_scope: dict[int, list[Span]] = defaultdict(list)
        for span in spans:
            self.by_scope[span.scope_id].append(span)
        self.chains = chains

    def __bool__(self) -> bool:
        return bool(self.by_scope)

    def of(self, area_id: int, day: datetime.date) -> list[int]:
        return [
            span.pk
            for scope_id in self.chains.get(area_id, ())
            for span in self.by_scope.get(scope_id, ())
            if span.start <= day <= span.end
        ]


def _spans(*, scope_ids: Iterable[int] | None = None, days: list[datetime.date] | None = None):
    campaigns = Campaign.objects.all()
    if scope_ids is not None:
        campaigns = campaigns.filter(scope_id__in=set(scope_ids))
    if days:
        campaigns = campaigns.filter(start__lte=max(days), end__gte=min(days))
    return [Span(*row) for row in campaigns.values_list("pk", "scope_id", "start", "end")]


def _fold(deltas: Iterable[ActivityDelta], ancestors: dict[int, list[int]]):
    """Net the deltas per (area, day) and (volunteer, area, day) at every level."""
    areas: dict[AreaKey, dict[str, int]] = defaultdict(lambda: _zero(AREA_COLUMNS))
    volunteers: dict[VolunteerKey, dict[str, int]] = defaultdict(lambda: _zero(VOLUNTEER_COLUMNS))
    for delta in deltas:
        indicator_counts = {k: v for k, v in delta.counts.items() if k in INDICATORS and v}
        own_counts = {k: v for k, v in delta.counts.items() if k in VOLUNTEER_COLUMNS and v}
        checkins = delta.counts.get(PARTICIPATIONS, 0)
        for area_id in ancestors.get(delta.area_id, ()):
            row = areas[(area_id, delta.day)]
            for key, value in indicator_counts.items():
                row[key] += value
            row[PARTICIPATIONS] += checkins
            if delta.volunteer_id is not None and own_counts:
                vrow = volunteers[(delta.volunteer_id, area_id, delta.day)]
                for key, value in own_counts.items():
                    vrow[key] += value
    return areas, volunteers


def _add(row: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        if key in row:
            row[key] += value


def _nonzero(rows: dict) -> dict:
    return {key: dict(row) for key, row in rows.items() if any(row.values())}


def tallies_from_deltas(
    deltas: Iterable[ActivityDelta], spans: Iterable[Span] | None = None
) -> Tallies:
    """The summary tables implied by `deltas` (and the campaigns' `spans`, default: every
    campaign in the database), computed in memory, rows of zeros dropped."""
    deltas = list(deltas)
    ancestors = ancestor_ids_by_leaf(delta.area_id for delta in deltas)
    areas, volunteers = _fold(deltas, ancestors)
    for (_volunteer_id, area_id, day), counts in volunteers.items():
        if sum(counts.values()) > 0:
            areas[(area_id, day)][PARTICIPATIONS] += 1
    coverage = Coverage(_spans() if spans is None else spans, _chains(ancestors))
    campaign_areas: dict = defaultdict(lambda: _zero(CAMPAIGN_AREA_COLUMNS))
    campaign_volunteers: dict = defaultdict(lambda: _zero(CAMPAIGN_VOLUNTEER_COLUMNS))
    for (area_id, day), counts in areas.items():
        for campaign_id in coverage.of(area_id, day):
            _add(campaign_areas[(campaign_id, area_id)], counts)
    for (volunteer_id, area_id, day), counts in volunteers.items():
        for campaign_id in coverage.of(area_id, day):
            row = campaign_volunteers[(campaign_id, area_id, volunteer_id)]
            _add(row, counts)
            row[ACTIVE_DAYS] += int(sum(counts.values()) > 0)
    for (campaign_id, area_id, _volunteer_id), row in campaign_volunteers.items():
        if row[ACTIVE_DAYS] > 0:
            campaign_areas[(campaign_id, area_id)][UNIQUE] += 1
    return Tallies(
        areas=_nonzero(areas),
        volunteers=_nonzero(volunteers),
        campaign_areas=_nonzero(campaign_areas),
        campaign_volunteers=_nonzero(campaign_volunteers),
    )


# --- Incremental: the receiver ------------------------------------------------------------
def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _day(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def _as_date(day) -> datetime.date:
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)


def _upsert_sql(
    table: str, keys: list[str], columns: list[str], rows: int, returning: str = ""
) -> str:
    """INSERT … ON CONFLICT DO UPDATE adding each column (updated_at is replaced)."""
    names = [*keys, *columns]
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    updates = ", ".join(
        f"{_quote(c)} = {_quote(table)}.{_quote(c)} + excluded.{_quote(c)}"
        for c in columns
        if c != "updated_at"
    )
    if "updated_at" in columns:
        updates += f", {_quote('updated_at')} = excluded.{_quote('updated_at')}"
    return (
        f"INSERT INTO {_quote(table)} ({', '.join(_quote(n) for n in names)}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * rows)} "
        f"ON CONFLICT ({', '.join(_quote(k) for k in keys)}) DO UPDATE SET {updates}"
        f"{returning}"
    )


def _upsert(
    table: str,
    keys: list[str],
    columns: list[str],
    rows: dict[tuple, dict[str, int]],
    key_params,
    extra: list | None = None,
    returning: list[str] | None = None,
) -> list[tuple]:
    """Upsert the non-zero `rows` in key order (the same order in every transaction: no
    deadlocks between concurrent recorders); return the RETURNING rows, if asked."""
    items = sorted((key, counts) for key, counts in rows.items() if any(counts.values()))
    extra = extra or []
    suffix = ""
    if returning:
        suffix = " RETURNING " + ", ".join(_quote(name) for name in returning)
    names = [*columns, *(name for name, _value in extra)]
    result: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            params: list = []
            for key, counts in chunk:
                params += [*key_params(key), *(counts[c] for c in columns)]
                params += [value for _name, value in extra]
            cursor.execute(_upsert_sql(table, keys, names, len(chunk), suffix), params)
            if returning:
                result += cursor.fetchall()
    return result


def _transitions(before_after: Iterable[tuple[tuple, int, int]]) -> dict[tuple, int]:
    """+1 for each key that turned positive, -1 for each that stopped being positive."""
    changes: dict[tuple, int] = {}
    for key, added, after in before_after:
        before = after - added
        if before <= 0 < after:
            changes[key] = 1
        elif after <= 0 < before:
            changes[key] = -1
    return changes


def _apply_volunteers(volunteers: dict[VolunteerKey, dict[str, int]]) -> dict[VolunteerKey, int]:
    """Upsert volunteer-day rows; return the ±1 of each row that turned (in)active."""
    rows = {key: {"activity": sum(counts.values()), **counts} for key, counts in volunteers.items()}
    returned = _upsert(
        VolunteerDayTally._meta.db_table,
        ["volunteer_id", "area_id", "day"],
        ["activity", *VOLUNTEER_COLUMNS],
        rows,
        lambda key: (key[0], key[1], _day(key[2])),
        returning=["volunteer_id", "area_id", "day", "activity"],
    )
    return _transitions(
        (key, rows[key]["activity"], activity)
        for key, activity in (((v, a, _as_date(d)), act) for v, a, d, act in returned)
    )


def _apply_campaign_volunteers(rows: dict[CampaignVolunteerKey, dict[str, int]]) -> dict:
    """Upsert campaign-volunteer rows; return the ±1 of (campaign, area) for each volunteer
    who turned (in)active in it."""
    returned = _upsert(
        CampaignVolunteerTally._meta.db_table,
        ["campaign_id", "area_id", "volunteer_id"],
        CAMPAIGN_VOLUNTEER_COLUMNS,
        rows,
        lambda key: key,
        returning=["campaign_id", "area_id", "volunteer_id", ACTIVE_DAYS],
    )
    changes: dict[CampaignAreaKey, int] = defaultdict(int)
    for (campaign_id, area_id, _volunteer), change in _transitions(
        ((c, a, v), rows[(c, a, v)][ACTIVE_DAYS], days) for c, a, v, days in returned
    ).items():
        changes[(campaign_id, area_id)] += change
    return changes


def _lock(shared: bool) -> None:
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [TALLY_LOCK])


def _apply(deltas: list[ActivityDelta]) -> None:
    """Add `deltas` to the summary tables (the caller holds a transaction and the shared lock).

    The deltas are netted per key first, so a batch of a thousand visits to one ward becomes
    one upsert per row touched; transitions (a volunteer-day turning active) come from the
    rows' values after the upsert (RETURNING), so concurrent appliers stay exact."""
    ancestors = ancestor_ids_by_leaf(delta.area_id for delta in deltas)
    unknown = {delta.area_id for delta in deltas} - ancestors.keys()
    if unknown:
        logger.warning("activity for unknown areas ignored: %s", sorted(unknown)[:10])
    areas, volunteers = _fold(deltas, ancestors)
    active = _apply_volunteers(volunteers)
    for (_volunteer_id, area_id, day), change in active.items():
        areas[(area_id, day)][PARTICIPATIONS] += change
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    _upsert(
        AreaDayTally._meta.db_table,
        ["area_id", "day"],
        AREA_COLUMNS,
        areas,
        lambda key: (key[0], _day(key[1])),
        extra=[("updated_at", now)],
    )
    chains = _chains(ancestors)
    spans = _spans(
        scope_ids={area_id for chain in ancestors.values() for area_id in chain},
        days=[delta.day for delta in deltas],
    )
    coverage = Coverage(spans, chains)
    if not coverage:
        return
    per_volunteer: dict = defaultdict(lambda: _zero(CAMPAIGN_VOLUNTEER_COLUMNS))
    for (volunteer_id, area_id, day), counts in volunteers.items():
        for campaign_id in coverage.of(area_id, day):
            row = per_volunteer[(campaign_id, area_id, volunteer_id)]
            _add(row, counts)
            row[ACTIVE_DAYS] += active.get((volunteer_id, area_id, day), 0)
    per_area: dict = defaultdict(lambda: _zero(CAMPAIGN_AREA_COLUMNS))
    for (area_id, day), counts in areas.items():
        for campaign_id in coverage.of(area_id, day):
            _add(per_area[(campaign_id, area_id)], counts)
    for key, change in _apply_campaign_volunteers(per_volunteer).items():
        per_area[key][UNIQUE] += change
    _upsert(
        CampaignAreaTally._meta.db_table,
        ["campaign_id", "area_id"],
        CAMPAIGN_AREA_COLUMNS,
        per_area,
        lambda key: key,
        extra=[("revision", 1), ("updated_at", now)],
    )


def tallies_apply(*, deltas: list[ActivityDelta]) -> None:
    """Apply `deltas` to the summary tables now (caller's transaction; a savepoint if none),
    bypassing the journal. Used by tools; recorders go through the journal."""
    if not deltas:
        return
    with transaction.atomic():
        _lock(shared=True)
        _apply(deltas)


# --- The journal: the recording transaction appends, a fold applies ----------------------------
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


def journal_append(deltas: list[ActivityDelta]) -> None:
    """One multi-row INSERT of the deltas (the caller's transaction)."""
    now = timezone.now()
    TallyJournal.objects.bulk_create(
        [
            TallyJournal(
                area_id=delta.area_id,
                day=delta.day,
                volunteer_id=delta.volunteer_id,
                counts={key: value for key, value in delta.counts.items() if value},
                created_at=now,
            )
            for delta in deltas
        ]
    )


def _take_and_apply(limit: int) -> int:
    """Lock up to `limit` journal rows no other fold holds, apply and delete them (the caller
    holds a transaction and the shared lock); return how many."""
    rows = list(
        TallyJournal.objects.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", "area_id", "day", "volunteer_id", "counts")[:limit]
    )
    if not rows:
        return 0
    _apply(
        [
            ActivityDelta(area_id=area_id, day=_as_date(day), counts=counts, volunteer_id=vol)
            for _pk, area_id, day, vol, counts in rows
        ]
    )
    TallyJournal.objects.filter(pk__in=[row[0] for row in rows]).delete()
    return len(rows)


def _fold_batch(limit: int) -> int:
    with transaction.atomic():
        if connection.vendor == "sqlite":
            # Take the database's write lock before reading: no other fold reads the same rows.
            TallyJournal.objects.filter(pk__lt=0).delete()
        _lock(shared=True)
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
            from .tasks import tallies_fold as task

            task.apply_async(countdown=FOLD_DELAY_S)
        local_dispatch.mark()
    except Exception:  # the broker or cache is down: the beat fold catches up
        logger.exception("could not queue a tallies fold")


def _fold_dispatch_on_commit() -> None:
    """Register fold_dispatch once per transaction (several records in one transaction)."""
    pending = getattr(connection, "run_on_commit", None) or []
    if any(entry[1] is fold_dispatch for entry in pending if len(entry) > 1):
        return
    transaction.on_commit(fold_dispatch)


@receiver(activity_changed, dispatch_uid="campaigns.tallies")
def on_activity_changed(sender, deltas: list[ActivityDelta], **kwargs) -> None:
    if not deltas:
        return
    if fold_inline():
        with transaction.atomic():
            # The shared lock before the journal's: the same order as a rebuild takes them.
            _lock(shared=True)
            journal_append(deltas)
            _take_and_apply(FOLD_BATCH)
        return
    journal_append(deltas)
    _fold_dispatch_on_commit()


# --- A campaign's own rows, refilled set-based ------------------------------------------------
def campaign_tallies_refresh(campaign: Campaign) -> None:
    """Refill the campaign's CampaignAreaTally / CampaignVolunteerTally rows from the day
    tables with two INSERT … SELECT … GROUP BY: its scope's areas over its period."""
    with transaction.atomic():
        _lock(shared=False)
        CampaignVolunteerTally.objects.filter(campaign=campaign).delete()
        CampaignAreaTally.objects.filter(campaign=campaign).delete()
        scope_path = Area.objects.values_list("path", flat=True).get(pk=campaign.scope_id)
        q = _quote
        area_table, cv_table = q(Area._meta.db_table), q(CampaignVolunteerTally._meta.db_table)
        subtree = f"SELECT {q('id')} FROM {area_table} WHERE {q('path')} LIKE %s"  # noqa: S608
        period = [scope_path + "%", _day(campaign.start), _day(campaign.end)]
        sums = ", ".join(f"SUM(t.{q(name)})" for name in INDICATORS)
        names = ", ".join(q(name) for name in INDICATORS)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {cv_table} ({q('campaign_id')}, {q('area_id')}, "  # noqa: S608
                f"{q('volunteer_id')}, {q(ACTIVE_DAYS)}, {names}) "
                f"SELECT %s, t.{q('area_id')}, t.{q('volunteer_id')}, "
                f"SUM(CASE WHEN t.{q('activity')} > 0 THEN 1 ELSE 0 END), {sums} "
                f"FROM {q(VolunteerDayTally._meta.db_table)} t "
                f"WHERE t.{q('area_id')} IN ({subtree}) AND t.{q('day')} BETWEEN %s AND %s "
                f"GROUP BY t.{q('area_id')}, t.{q('volunteer_id')}",
                [campaign.pk, *period],
            )
            area_sums = ", ".join(f"SUM(t.{q(name)})" for name in AREA_COLUMNS)
            area_names = ", ".join(q(name) for name in AREA_COLUMNS)
            cursor.execute(
                f"INSERT INTO {q(CampaignAreaTally._meta.db_table)} ({q('campaign_id')}, "  # noqa: S608
                f"{q('area_id')}, {area_names}, {q(UNIQUE)}, {q('revision')}, "
                f"{q('updated_at')}) "
                f"SELECT %s, t.{q('area_id')}, {area_sums}, "
                f"(SELECT COUNT(*) FROM {cv_table} v WHERE v.{q('campaign_id')} = %s "
                f"AND v.{q('area_id')} = t.{q('area_id')} AND v.{q(ACTIVE_DAYS)} > 0), 1, %s "
                f"FROM {q(AreaDayTally._meta.db_table)} t "
                f"WHERE t.{q('area_id')} IN ({subtree}) AND t.{q('day')} BETWEEN %s AND %s "
                f"GROUP BY t.{q('area_id')}",
                [campaign.pk, campaign.pk, now, *period],
            )


@receiver(post_save, sender=Campaign, dispatch_uid="campaigns.tallies.campaign")
def on_campaign_saved(sender, instance: Campaign, created: bool, raw: bool = False, **kwargs):
    """A new campaign, or one whose period or scope moved, gets its rows refilled."""
    if raw:
        return
    key = instance.tally_key()
    if created or instance._tally_key != key:
        campaign_tallies_refresh(instance)
    instance._tally_key = key


# --- Rebuild and drift --------------------------------------------------------------------
def raw_deltas() -> Iterable[ActivityDelta]:
    for label, source in ACTIVITY_SOURCES.items():
        logger.debug("recomputing from %s", label)
        yield from source()


def _stored(model, keys: list[str], columns: list[str]) -> dict:
    rows = {}
    for row in model.objects.values(*keys, *columns).iterator(chunk_size=5000):
        counts = {c: row[c] for c in columns}
        if any(counts.values()):
            rows[tuple(row[k] for k in keys)] = counts
    return rows


def stored_tallies() -> Tallies:
    return Tallies(
        areas=_stored(AreaDayTally, ["area_id", "day"], AREA_COLUMNS),
        volunteers=_stored(
            VolunteerDayTally, ["volunteer_id", "area_id", "day"], VOLUNTEER_COLUMNS
        ),
        campaign_areas=_stored(
            CampaignAreaTally, ["campaign_id", "area_id"], CAMPAIGN_AREA_COLUMNS
        ),
        campaign_volunteers=_stored(
            CampaignVolunteerTally,
            ["campaign_id", "area_id", "volunteer_id"],
            CAMPAIGN_VOLUNTEER_COLUMNS,
        ),
    )


def tallies_diff(expected: Tallies, stored: Tallies) -> list[dict]:
    """Every row where the tables differ from the recompute."""
    drift = []
    for kind, want, have in (
        ("area", expected.areas, stored.areas),
        ("volunteer", expected.volunteers, stored.volunteers),
        ("campaign_area", expected.campaign_areas, stored.campaign_areas),
        ("campaign_volunteer", expected.campaign_volunteers, stored.campaign_volunteers),
    ):
        for key in sorted(want.keys() | have.keys(), key=str):
            if want.get(key) != have.get(key):
                drift.append(
                    {
                        "kind": kind,
                        "key": [str(part) for part in key],
                        "expected": want.get(key),
                        "stored": have.get(key),
                    }
                )
    return drift


def _journal_freeze() -> None:
    """Hold off new journal rows until the transaction ends, once those in flight committed:
    the raw records read next then match the journal exactly (each record's delta commits
    with it). PostgreSQL: a table lock; SQLite: the write lock, taken by a write."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_quote(TallyJournal._meta.db_table)} IN EXCLUSIVE MODE")
    else:
        TallyJournal.objects.filter(pk__lt=0).delete()


@transaction.atomic
def tallies_rebuild() -> Tallies:
    """Replace the summary tables with a recompute from every registered raw source. Pending
    journal rows are dropped: the raw records they came from are in the recompute."""
    _lock(shared=False)  # waits for running folds and campaign refills
    _journal_freeze()
    TallyJournal.objects.all().delete()
    tallies = tallies_from_deltas(raw_deltas())
    for model in (CampaignVolunteerTally, CampaignAreaTally, VolunteerDayTally, AreaDayTally):
        model.objects.all().delete()
    now = timezone.now()
    AreaDayTally.objects.bulk_create(
        (
            AreaDayTally(area_id=area_id, day=day, updated_at=now, **counts)
            for (area_id, day), counts in tallies.areas.items()
        ),
        batch_size=2000,
    )
    VolunteerDayTally.objects.bulk_create(
        (
            VolunteerDayTally(
                volunteer_id=volunteer_id,
                area_id=area_id,
                day=day,
                activity=sum(counts.values()),
                **counts,
            )
            for (volunteer_id, area_id, day), counts in tallies.volunteers.items()
        ),
        batch_size=2000,
    )
    CampaignAreaTally.objects.bulk_create(
        (
            CampaignAreaTally(
                campaign_id=campaign_id, area_id=area_id, revision=1, updated_at=now, **counts
            )
            for (campaign_id, area_id), counts in tallies.campaign_areas.items()
        ),
        batch_size=2000,
    )
    CampaignVolunteerTally.objects.bulk_create(
        (
            CampaignVolunteerTally(
                campaign_id=campaign_id, area_id=area_id, volunteer_id=volunteer_id, **counts
            )
            for (campaign_id, area_id, volunteer_id), counts in tallies.campaign_volunteers.items()
        ),
        batch_size=2000,
    )
    return tallies


def _negated(delta: ActivityDelta) -> ActivityDelta:
    counts = {key: -value for key, value in delta.counts.items()}
    return ActivityDelta(delta.area_id, delta.day, counts, delta.volunteer_id)


def _journal_deltas() -> list[ActivityDelta]:
    return [
        ActivityDelta(area_id=area_id, day=_as_date(day), counts=counts, volunteer_id=volunteer)
        for area_id, day, volunteer, counts in TallyJournal.objects.order_by("pk").values_list(
            "area_id", "day", "volunteer_id", "counts"
        )
    ]


def tallies_check_drift() -> DriftReport:
    """Recompute from raw, compare, store and log the result. Drift must be zero.

    Pending journal rows are folded first; any that arrive meanwhile are accounted for: the
    tables plus the journal must equal the raw records, so the expected tables are the
    recompute of the raw records' deltas with the pending ones taken back out (the tallies
    depend only on the net sums per key)."""
    tallies_fold()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        pending = _journal_deltas()
        expected = tallies_from_deltas(
            itertools.chain(raw_deltas(), (_negated(delta) for delta in pending))
        )
        drift = tallies_diff(expected, stored_tallies())
    report = DriftReport.objects.create(
        area_rows=len(expected.areas) + len(expected.campaign_areas),
        volunteer_rows=len(expected.volunteers) + len(expected.campaign_volunteers),
        drift_count=len(drift),
        samples=drift[:50],
    )
    if drift:
        logger.error("campaign tallies drifted: %s rows differ (report %s)", len(drift), report.pk)
    else:
        logger.info("campaign tallies match the raw records (%s area rows)", len(expected.areas))
    return report
