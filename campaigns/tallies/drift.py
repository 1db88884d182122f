"""Rebuild and drift: the summary tables recomputed from every registered raw source."""

import itertools
import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from core.activity import ACTIVITY_SOURCES, ActivityDelta
from core.snapshot import snapshot_atomic

from ..models import (
    AreaDayTally,
    CampaignAreaTally,
    CampaignHouseholdTally,
    CampaignVolunteerTally,
    DriftKind,
    DriftReport,
    TallyJournal,
    VolunteerDayTally,
)
from .apply import quote, tally_lock
from .compute import (
    AREA_COLUMNS,
    CAMPAIGN_AREA_COLUMNS,
    CAMPAIGN_VOLUNTEER_COLUMNS,
    HOUSEHOLD_VISITS,
    VOLUNTEER_COLUMNS,
    Tallies,
    tallies_from_deltas,
)
from .journal import JOURNAL_DELTA_FIELDS, journal_delta, tallies_fold

logger = logging.getLogger(__name__)


def raw_deltas() -> Iterable[ActivityDelta]:
    for label, source in ACTIVITY_SOURCES.items():
        logger.debug("recomputing from %s", label)
        yield from source()


def _stored(model: type[Model], keys: list[str], columns: list[str]) -> dict:
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
        campaign_households=_stored(
            CampaignHouseholdTally,
            ["campaign_id", "area_id", "household_id"],
            [HOUSEHOLD_VISITS],
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
        ("campaign_household", expected.campaign_households, stored.campaign_households),
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
            cursor.execute(f"LOCK TABLE {quote(TallyJournal._meta.db_table)} IN EXCLUSIVE MODE")
    else:
        TallyJournal.objects.filter(pk__lt=0).delete()


@transaction.atomic
def tallies_rebuild() -> Tallies:
    """Replace the summary tables with a recompute from every registered raw source. Pending
    journal rows are dropped: the raw records they came from are in the recompute."""
    tally_lock(shared=False)  # waits for running folds and campaign refills
    _journal_freeze()
    TallyJournal.objects.all().delete()
    tallies = tallies_from_deltas(raw_deltas())
    for model in (
        CampaignHouseholdTally,
        CampaignVolunteerTally,
        CampaignAreaTally,
        VolunteerDayTally,
        AreaDayTally,
    ):
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
    CampaignHouseholdTally.objects.bulk_create(
        (
            CampaignHouseholdTally(
                campaign_id=campaign_id, area_id=area_id, household_id=household_id, **counts
            )
            for (campaign_id, area_id, household_id), counts in tallies.campaign_households.items()
        ),
        batch_size=2000,
    )
    return tallies


def _negated(delta: ActivityDelta) -> ActivityDelta:
    counts = {key: -value for key, value in delta.counts.items()}
    return ActivityDelta(delta.area_id, delta.day, counts, delta.volunteer_id, delta.household_id)


def _journal_deltas() -> list[ActivityDelta]:
    rows = TallyJournal.objects.order_by("pk").values_list(*JOURNAL_DELTA_FIELDS)
    return [journal_delta(row) for row in rows]


def tallies_check_drift() -> DriftReport:
    """Recompute from raw, compare, store and log the result. Drift must be zero.

    Pending journal rows are folded first; any that arrive meanwhile are accounted for: the
    tables plus the journal must equal the raw records, so the expected tables are the
    recompute of the raw records' deltas with the pending ones taken back out (the tallies
    depend only on the net sums per key)."""
    tallies_fold()
    with snapshot_atomic():
        pending = _journal_deltas()
        expected = tallies_from_deltas(
            itertools.chain(raw_deltas(), (_negated(delta) for delta in pending))
        )
        drift = tallies_diff(expected, stored_tallies())
    report = DriftReport.objects.create(
        kind=DriftKind.TALLIES,
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
