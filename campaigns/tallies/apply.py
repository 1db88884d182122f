"""The incremental path: deltas netted per key and applied as UPSERT increments, at the leaf
area and each of its ancestors, and on every campaign that counts them."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from core.activity import PARTICIPATIONS, ActivityDelta

from ..models import (
    AreaDayTally,
    CampaignAreaTally,
    CampaignHouseholdTally,
    CampaignVolunteerTally,
    VolunteerDayTally,
)
from .compute import (
    ACTIVE_DAYS,
    AREA_COLUMNS,
    CAMPAIGN_AREA_COLUMNS,
    CAMPAIGN_VOLUNTEER_COLUMNS,
    HOUSEHOLD_VISITS,
    REACHED,
    UNIQUE,
    VOLUNTEER_COLUMNS,
    CampaignAreaKey,
    CampaignVolunteerKey,
    Coverage,
    VolunteerKey,
    add_counts,
    ancestor_ids_by_leaf,
    campaign_spans,
    chains_of,
    fold_deltas,
    fold_households,
    zero,
)

logger = logging.getLogger(__name__)

CHUNK = 400
# Recording transactions hold this advisory lock shared, a campaign refill holds it alone: a
# refill never misses a delta committed while it reads (PostgreSQL; SQLite writes serially).
TALLY_LOCK = 0x74756E67


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def day_param(day: datetime.date) -> object:
    return connection.ops.adapt_datefield_value(day)


def as_date(day: datetime.date | str) -> datetime.date:
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)


def _upsert_sql(
    table: str, keys: list[str], columns: list[str], rows: int, returning: str = ""
) -> str:
    """INSERT … ON CONFLICT DO UPDATE adding each column (updated_at is replaced)."""
    names = [*keys, *columns]
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    updates = ", ".join(
        f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}"
        for c in columns
        if c != "updated_at"
    )
    if "updated_at" in columns:
        updates += f", {quote('updated_at')} = excluded.{quote('updated_at')}"
    return (
        f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * rows)} "
        f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {updates}"
        f"{returning}"
    )


def _upsert(
    table: str,
    keys: list[str],
    columns: list[str],
    rows: dict[tuple, dict[str, int]],
    key_params: Callable[[tuple], Iterable[object]],
    extra: list[tuple[str, object]] | None = None,
    returning: list[str] | None = None,
) -> list[tuple]:
    """Upsert the non-zero `rows` in key order (the same order in every transaction: no
    deadlocks between concurrent recorders); return the RETURNING rows, if asked."""
    items = sorted((key, counts) for key, counts in rows.items() if any(counts.values()))
    extra = extra or []
    suffix = ""
    if returning:
        suffix = " RETURNING " + ", ".join(quote(name) for name in returning)
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
        lambda key: (key[0], key[1], day_param(key[2])),
        returning=["volunteer_id", "area_id", "day", "activity"],
    )
    return _transitions(
        (key, rows[key]["activity"], activity)
        for key, activity in (((v, a, as_date(d)), act) for v, a, d, act in returned)
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


def _apply_campaign_households(rows: dict[tuple[int, int, int], int]) -> dict:
    """Upsert campaign-household rows; return the ±1 of (campaign, area) for each household
    that turned reached (or stopped being) in it."""
    returned = _upsert(
        CampaignHouseholdTally._meta.db_table,
        ["campaign_id", "area_id", "household_id"],
        [HOUSEHOLD_VISITS],
        {key: {HOUSEHOLD_VISITS: visits} for key, visits in rows.items()},
        lambda key: key,
        returning=["campaign_id", "area_id", "household_id", HOUSEHOLD_VISITS],
    )
    changes: dict[CampaignAreaKey, int] = defaultdict(int)
    for (campaign_id, area_id, _household), change in _transitions(
        ((c, a, h), rows[(c, a, h)], visits) for c, a, h, visits in returned
    ).items():
        changes[(campaign_id, area_id)] += change
    return changes


def tally_lock(shared: bool) -> None:
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [TALLY_LOCK])


def apply_deltas(deltas: list[ActivityDelta]) -> None:
    """Add `deltas` to the summary tables (the caller holds a transaction and the shared lock).

    The deltas are netted per key first, so a batch of a thousand visits to one ward becomes
    one upsert per row touched; transitions (a volunteer-day turning active) come from the
    rows' values after the upsert (RETURNING), so concurrent appliers stay exact."""
    ancestors = ancestor_ids_by_leaf(delta.area_id for delta in deltas)
    unknown = {delta.area_id for delta in deltas} - ancestors.keys()
    if unknown:
        logger.warning("activity for unknown areas ignored: %s", sorted(unknown)[:10])
    areas, volunteers = fold_deltas(deltas, ancestors)
    active = _apply_volunteers(volunteers)
    for (_volunteer_id, area_id, day), change in active.items():
        areas[(area_id, day)][PARTICIPATIONS] += change
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    _upsert(
        AreaDayTally._meta.db_table,
        ["area_id", "day"],
        AREA_COLUMNS,
        areas,
        lambda key: (key[0], day_param(key[1])),
        extra=[("updated_at", now)],
    )
    chains = chains_of(ancestors)
    spans = campaign_spans(
        scope_ids={area_id for chain in ancestors.values() for area_id in chain},
        days=[delta.day for delta in deltas],
    )
    coverage = Coverage(spans, chains)
    if not coverage:
        return
    per_volunteer: dict = defaultdict(lambda: zero(CAMPAIGN_VOLUNTEER_COLUMNS))
    for (volunteer_id, area_id, day), counts in volunteers.items():
        for campaign_id in coverage.of(area_id, day):
            row = per_volunteer[(campaign_id, area_id, volunteer_id)]
            add_counts(row, counts)
            row[ACTIVE_DAYS] += active.get((volunteer_id, area_id, day), 0)
    per_area: dict = defaultdict(lambda: zero(CAMPAIGN_AREA_COLUMNS))
    for (area_id, day), counts in areas.items():
        for campaign_id in coverage.of(area_id, day):
            add_counts(per_area[(campaign_id, area_id)], counts)
    for key, change in _apply_campaign_volunteers(per_volunteer).items():
        per_area[key][UNIQUE] += change
    for key, change in _apply_campaign_households(
        fold_households(deltas, ancestors, coverage)
    ).items():
        per_area[key][REACHED] += change
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
        tally_lock(shared=True)
        apply_deltas(deltas)
