"""Figures from the summary tables: totals per area, the daily trend, effective targets.
Each function issues a fixed number of queries, however many areas it returns."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
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
from .batch import Read, read_of_sql

Counts = dict[str, int]


def _period(campaign: Campaign) -> Q:
    return Q(day__gte=campaign.start, day__lte=campaign.end)


def has_own_rows(campaign: Campaign) -> bool:
    """Whether the campaign's CampaignAreaTally rows describe it as it stands: saved, with the
    period and scope it was last saved with. Otherwise (an unsaved campaign used as a mere
    period, or one changed in memory) the figures come from the day tables, summed over the
    period: correct, but costing a row per area and day."""
    return campaign.pk is not None and campaign._tally_key == campaign.tally_key()


def _day_sums_reads(campaign: Campaign, where: Q) -> dict[str, QuerySet]:
    """Fallback for campaigns without their own rows: two reads over the day tables, for the
    areas `where` picks (a filter on the day tables' `area`)."""
    return {
        "day_sums": AreaDayTally.objects.filter(_period(campaign), where)
        .values("area_id")
        .annotate(**{name: Sum(name) for name in TALLY_FIELDS}, updated_at=Max("updated_at"))
        .values_list("area_id", *TALLY_FIELDS, "updated_at"),
        "day_people": VolunteerDayTally.objects.filter(_period(campaign), where, activity__gt=0)
        .values("area_id")
        .annotate(n=Count("volunteer_id", distinct=True))
        .values_list("area_id", "n"),
    }


def _day_sums_from(reads: dict[str, list[tuple]]) -> dict[int, dict]:
    rows = {
        row[0]: {
            **{name: value or 0 for name, value in zip(TALLY_FIELDS, row[1:-1], strict=True)},
            "unique_volunteers": 0,
            "households_reached": 0,
            "revision": 0,
            "updated_at": row[-1],
        }
        for row in reads["day_sums"]
    }
    for area_id, count in reads["day_people"]:
        if area_id in rows:
            rows[area_id]["unique_volunteers"] = count
    return rows


def _day_sums(campaign: Campaign, area_ids: list[int]) -> dict[int, dict]:
    """Fallback for campaigns without their own rows: two queries over the day tables."""
    reads = _day_sums_reads(campaign, Q(area_id__in=area_ids))
    return _day_sums_from({name: list(queryset) for name, queryset in reads.items()})


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


# What a dashboard reads of each area's row, in this order.
AREA_ROW_FIELDS = [
    *TALLY_FIELDS,
    "unique_volunteers",
    "households_reached",
    "revision",
    "updated_at",
]


def area_row_reads(*, campaign: Campaign, where: Q) -> dict[str, QuerySet]:
    """The reads behind `campaign_area_rows`, for the areas `where` picks (a filter on the
    summary tables' `area`): one for a saved campaign, two over the day tables otherwise."""
    if not has_own_rows(campaign):
        return _day_sums_reads(campaign, where)
    return {
        "area_rows": CampaignAreaTally.objects.filter(where, campaign=campaign).values_list(
            "area_id", *AREA_ROW_FIELDS
        )
    }


def area_rows_from(reads: dict[str, list[tuple]], area_ids: Iterable[int]) -> dict[int, dict]:
    """`campaign_area_rows`' answer from its reads' rows."""
    if "area_rows" in reads:
        found = {
            row[0]: dict(zip(AREA_ROW_FIELDS, row[1:], strict=True)) for row in reads["area_rows"]
        }
    else:
        found = _day_sums_from(reads)
    return {area_id: found.get(area_id) or _empty_row() for area_id in area_ids}


def campaign_area_rows(*, campaign: Campaign, area_ids: Iterable[int]) -> dict[int, dict]:
    """One query: each area's whole row — totals, unique volunteers, revision and when it last
    moved — (zeros for areas with none). A dashboard reads its area and its children at once."""
    area_ids = list(area_ids)
    reads = area_row_reads(campaign=campaign, where=Q(area_id__in=area_ids))
    return area_rows_from({name: list(queryset) for name, queryset in reads.items()}, area_ids)


def _campaign_area(campaign: Campaign, area: Area) -> dict:
    return campaign_area_rows(campaign=campaign, area_ids=[area.pk])[area.pk]


def area_summary(*, campaign: Campaign, area: Area) -> tuple[Counts, datetime.datetime | None]:
    """One query: the area's totals and when they last moved."""
    row = _campaign_area(campaign, area)
    return {name: row[name] for name in TALLY_FIELDS}, row["updated_at"]


def dashboard_version_read(
    *, campaign: Campaign, area_id: int | None, area_path: str = "", registry_of: Area
) -> Read:
    """One row that changes whenever any figure of the area's dashboard changes: any change
    below the area moves its row's revision; the targets, the sign-offs and the campaigns (the
    overlapping ones are named) have their own; the registry behind coverage is read under
    `registry_of` (the area, or a unit above it: any change there moves it too). Written out:
    it runs on every view of a cached dashboard, where the ORM's building of its subqueries
    cost more than the rest of the page's reads. The area is named by id, or else by path."""
    q = connection.ops.quote_name
    registry_sql, registry_params = registry_version_sql(registry_of)
    tallies = q(CampaignAreaTally._meta.db_table)
    targets, signoffs = q(Target._meta.db_table), q(SignOff._meta.db_table)
    campaigns = q(Campaign._meta.db_table)
    area = "%s"
    if area_id is None:
        areas = q(Area._meta.db_table)
        area = f"(SELECT {q('id')} FROM {areas} WHERE {q('path')} = %s)"  # noqa: S608
    sql = (
        f"SELECT t.{q('revision')}, t.{q('updated_at')}, g.last, g.rows, r.last, r.total, "  # noqa: S608
        f"s.last, s.rows, c.last, c.rows FROM (SELECT 1 AS one) base "
        f"LEFT JOIN (SELECT {q('revision')}, {q('updated_at')} FROM {tallies} "
        f"WHERE {q('campaign_id')} = %s AND {q('area_id')} = {area}) t ON 1 = 1 "
        f"CROSS JOIN (SELECT MAX({q('updated_at')}) AS last, COUNT(*) AS rows FROM {targets} "
        f"WHERE {q('campaign_id')} = %s) g "
        f"CROSS JOIN ({registry_sql}) r "
        f"CROSS JOIN (SELECT MAX({q('updated_at')}) AS last, COUNT(*) AS rows FROM {signoffs} "
        f"WHERE {q('campaign_id')} = %s) s "
        f"CROSS JOIN (SELECT MAX({q('updated_at')}) AS last, COUNT(*) AS rows "
        f"FROM {campaigns}) c"
    )
    area_param = area_id if area_id is not None else area_path
    params = [campaign.pk, area_param, campaign.pk, *registry_params, campaign.pk]
    return read_of_sql(sql, params, width=10)


def unique_volunteers(*, campaign: Campaign, area: Area) -> int:
    """One query: distinct volunteers active in the area during the campaign."""
    return _campaign_area(campaign, area)["unique_volunteers"]


def daily_read(*, campaign: Campaign, area: Area) -> QuerySet:
    """The read behind `daily_series`: the area's day rows over the period."""
    return AreaDayTally.objects.filter(_period(campaign), area=area).values_list(
        "day", *TALLY_FIELDS
    )


def daily_series_from(
    campaign: Campaign, rows: Iterable[tuple]
) -> list[tuple[datetime.date, Counts]]:
    """`daily_series`' answer from its read's rows."""
    empty = (0,) * len(TALLY_FIELDS)
    by_day = {row[0]: row[1:] for row in rows}
    today = timezone.localdate()
    last = min(campaign.end, today) if campaign.start <= today else None
    days = [day for day in campaign.days() if last is None or day <= last] or campaign.days()
    return [(day, dict(zip(TALLY_FIELDS, by_day.get(day, empty), strict=True))) for day in days]


def daily_series(*, campaign: Campaign, area: Area) -> list[tuple[datetime.date, Counts]]:
    """One query: every day of the period with its counts (zeros on quiet days)."""
    return daily_series_from(campaign, daily_read(campaign=campaign, area=area))


def targets_read(*, campaign: Campaign, areas: list[Area]) -> QuerySet:
    """The read behind `effective_targets`: every target of the campaign under the areas'
    common ancestor (one index range; `effective_targets_from` picks what is theirs)."""
    common = common_ancestor_path([area.path for area in areas])
    return Target.objects.filter(campaign=campaign, area__path__startswith=common).values_list(
        "area__path", "indicator", "value"
    )


def effective_targets_from(
    areas: list[Area], rows: Iterable[tuple[str, str, int]]
) -> dict[int, dict[str, int]]:
    """`effective_targets`' answer from its read's rows."""
    by_path = {area.path: area.pk for area in areas}
    lengths = sorted({len(path) for path in by_path})  # only these prefixes can be theirs
    # (area, indicator) -> the target paths and values at or below the area, in path order.
    below: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    for path, indicator, value in sorted(rows):
        for length in lengths:
            if length > len(path):
                break
            area_id = by_path.get(path[:length])
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


def effective_targets(*, campaign: Campaign, areas: list[Area]) -> dict[int, dict[str, int]]:
    """One query. An area's target is its own, else the sum of the highest targets set below
    it (a city with targets only per district gets their sum). Each target is matched to the
    requested areas above it through its path's prefixes: linear in targets, not areas × targets.
    """
    if not areas:
        return {}
    return effective_targets_from(areas, targets_read(campaign=campaign, areas=areas))
