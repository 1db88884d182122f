"""Figures from the summary tables: totals per area, the daily trend, effective targets.
Each function issues a fixed number of queries, however many areas it returns."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from areas.models import Area
from areas.selectors import common_ancestor_path
from households.registry.selectors import registry_version_sql

from ..models import (
    TALLY_FIELDS,
    AreaDayTally,
    Campaign,
    CampaignAreaTally,
    SignOff,
    Target,
    VolunteerDayTally,
)

Counts = dict[str, int]


def _period(campaign: Campaign) -> Q:
    return Q(day__gte=campaign.start, day__lte=campaign.end)


def has_own_rows(campaign: Campaign) -> bool:
    """Whether the campaign's CampaignAreaTally rows describe it as it stands: saved, with the
    period and scope it was last saved with. Otherwise (an unsaved campaign used as a mere
    period, or one changed in memory) the figures come from the day tables, summed over the
    period: correct, but costing a row per area and day."""
    return campaign.pk is not None and campaign._tally_key == campaign.tally_key()


def _day_sums(campaign: Campaign, area_ids: list[int]) -> dict[int, dict]:
    """Fallback for campaigns without their own rows: two queries over the day tables."""
    rows = {
        row["area_id"]: {
            **{name: row[name] or 0 for name in TALLY_FIELDS},
            "unique_volunteers": 0,
            "revision": 0,
            "updated_at": row["updated_at"],
        }
        for row in AreaDayTally.objects.filter(_period(campaign), area_id__in=area_ids)
        .values("area_id")
        .annotate(**{name: Sum(name) for name in TALLY_FIELDS}, updated_at=Max("updated_at"))
    }
    people = (
        VolunteerDayTally.objects.filter(_period(campaign), area_id__in=area_ids, activity__gt=0)
        .values("area_id")
        .annotate(n=Count("volunteer_id", distinct=True))
    )
    for row in people:
        if row["area_id"] in rows:
            rows[row["area_id"]]["unique_volunteers"] = row["n"]
    return rows


def totals_by_area(*, campaign: Campaign, area_ids: Iterable[int]) -> dict[int, Counts]:
    """One query: each area's totals over the campaign period (zeros for areas with none)."""
    area_ids = list(area_ids)
    result = {area_id: dict.fromkeys(TALLY_FIELDS, 0) for area_id in area_ids}
    if not has_own_rows(campaign):
        for area_id, row in _day_sums(campaign, area_ids).items():
            result[area_id] = {name: row[name] for name in TALLY_FIELDS}
        return result
    rows = CampaignAreaTally.objects.filter(campaign=campaign, area_id__in=area_ids).values(
        "area_id", *TALLY_FIELDS
    )
    for row in rows:
        result[row["area_id"]] = {name: row[name] for name in TALLY_FIELDS}
    return result


def _empty_row() -> dict:
    return {
        **dict.fromkeys(TALLY_FIELDS, 0),
        "unique_volunteers": 0,
        "households_reached": 0,
        "revision": 0,
        "updated_at": None,
    }


def campaign_area_rows(*, campaign: Campaign, area_ids: Iterable[int]) -> dict[int, dict]:
    """One query: each area's whole row — totals, unique volunteers, revision and when it last
    moved — (zeros for areas with none). A dashboard reads its area and its children at once."""
    area_ids = list(area_ids)
    if has_own_rows(campaign):
        found = {
            row["area_id"]: row
            for row in CampaignAreaTally.objects.filter(
                campaign=campaign, area_id__in=area_ids
            ).values(
                "area_id",
                *TALLY_FIELDS,
                "unique_volunteers",
                "households_reached",
                "revision",
                "updated_at",
            )
        }
    else:
        found = _day_sums(campaign, area_ids)
    return {area_id: found.get(area_id) or _empty_row() for area_id in area_ids}


def _campaign_area(campaign: Campaign, area: Area) -> dict:
    return campaign_area_rows(campaign=campaign, area_ids=[area.pk])[area.pk]


def area_summary(*, campaign: Campaign, area: Area) -> tuple[Counts, datetime.datetime | None]:
    """One query: the area's totals and when they last moved."""
    row = _campaign_area(campaign, area)
    return {name: row[name] for name in TALLY_FIELDS}, row["updated_at"]


def dashboard_version(*, campaign: Campaign, area: Area) -> tuple:
    """One query: what changes whenever any figure of the area's dashboard changes (any
    change below the area moves its row's revision; targets, the registry behind coverage and
    the sign-offs have their own). Written out: it runs on every view of a cached dashboard,
    where the ORM's building of six subqueries cost more than the rest of the page's reads."""
    q = connection.ops.quote_name
    registry_sql, registry_params = registry_version_sql(area)
    tallies = q(CampaignAreaTally._meta.db_table)
    targets, signoffs = q(Target._meta.db_table), q(SignOff._meta.db_table)
    sql = (
        f"SELECT t.{q('revision')}, t.{q('updated_at')}, g.last, g.rows, r.last, r.total, "  # noqa: S608
        f"s.last FROM (SELECT 1 AS one) base "
        f"LEFT JOIN (SELECT {q('revision')}, {q('updated_at')} FROM {tallies} "
        f"WHERE {q('campaign_id')} = %s AND {q('area_id')} = %s) t ON 1 = 1 "
        f"CROSS JOIN (SELECT MAX({q('updated_at')}) AS last, COUNT(*) AS rows FROM {targets} "
        f"WHERE {q('campaign_id')} = %s) g "
        f"CROSS JOIN ({registry_sql}) r "
        f"CROSS JOIN (SELECT MAX({q('updated_at')}) AS last FROM {signoffs} "
        f"WHERE {q('campaign_id')} = %s) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, area.pk, campaign.pk, *registry_params, campaign.pk])
        row = cursor.fetchone()
    return tuple(part if part is not None else "" for part in row)


def unique_volunteers(*, campaign: Campaign, area: Area) -> int:
    """One query: distinct volunteers active in the area during the campaign."""
    return _campaign_area(campaign, area)["unique_volunteers"]


def daily_series(*, campaign: Campaign, area: Area) -> list[tuple[datetime.date, Counts]]:
    """One query: every day of the period with its counts (zeros on quiet days)."""
    by_day = {
        row["day"]: row
        for row in AreaDayTally.objects.filter(_period(campaign), area=area).values(
            "day", *TALLY_FIELDS
        )
    }
    empty = dict.fromkeys(TALLY_FIELDS, 0)
    last = (
        min(campaign.end, timezone.localdate()) if campaign.start <= timezone.localdate() else None
    )
    days = [day for day in campaign.days() if last is None or day <= last] or campaign.days()
    return [(day, {k: by_day.get(day, empty)[k] for k in TALLY_FIELDS}) for day in days]


def effective_targets(*, campaign: Campaign, areas: list[Area]) -> dict[int, dict[str, int]]:
    """One query. An area's target is its own, else the sum of the highest targets set below
    it (a city with targets only per district gets their sum). Each target is matched to the
    requested areas above it through its path's prefixes: linear in targets, not areas × targets.
    """
    if not areas:
        return {}
    # One range over the areas' common ancestor path; the prefixes below pick what is theirs.
    common = common_ancestor_path([area.path for area in areas])
    by_path = {area.path: area.pk for area in areas}
    # (area, indicator) -> the target paths and values at or below the area, in path order.
    below: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    rows = sorted(
        Target.objects.filter(campaign=campaign, area__path__startswith=common).values_list(
            "area__path", "indicator", "value"
        )
    )
    for path, indicator, value in rows:
        for end in range(Area.steplen, len(path) + 1, Area.steplen):
            area_id = by_path.get(path[:end])
            if area_id is not None:
                below[(area_id, indicator)].append((path, value))
    result: dict[int, dict[str, int]] = {area.pk: {} for area in areas}
    for (area_id, indicator), entries in below.items():
        covered, total = None, 0
        for path, value in entries:
            if covered is not None and path.startswith(covered):
                continue
            covered, total = path, total + value
        result[area_id][indicator] = total
    return result
