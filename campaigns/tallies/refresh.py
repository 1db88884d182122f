"""A campaign's own rows (CampaignAreaTally, CampaignVolunteerTally, CampaignHouseholdTally),
refilled set-based when it is created or its period or scope moves: the area and volunteer
rows from the day tables, the household rows from the recording apps' reach sources."""

from collections.abc import Callable

from django.db import connection, models, transaction
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from areas.models import Area
from core.activity import REACH_SOURCES, Indicator

from ..models import (
    AreaDayTally,
    Campaign,
    CampaignAreaTally,
    CampaignHouseholdTally,
    CampaignVolunteerTally,
    TallyJournal,
    VolunteerDayTally,
)
from .apply import day_param, quote, tally_lock
from .compute import ACTIVE_DAYS, AREA_COLUMNS, HOUSEHOLD_VISITS, INDICATORS, REACHED, UNIQUE


def _reach_rows(campaign: Campaign) -> tuple[str, list]:
    """SQL of (household_id, area_id, n): +1 per reaching record of the period, and each
    journal row of the period not yet folded taken back out (its fold will add it). One
    statement reads both, so they share a snapshot: a record counts once, either here or by
    its fold."""
    parts, params = [], []
    for source in REACH_SOURCES.values():
        sql, source_params = source(campaign.start, campaign.end).query.sql_with_params()
        parts.append(f"SELECT s.household_id, s.area_id, 1 AS n FROM ({sql}) s")  # noqa: S608
        params += source_params
    pending = (
        TallyJournal.objects.filter(
            household_id__isnull=False, day__gte=campaign.start, day__lte=campaign.end
        )
        .order_by()
        .values("household_id", "area_id")
        .annotate(
            n=Coalesce(
                Cast(KT(f"counts__{Indicator.HOUSEHOLDS_VISITED}"), models.BigIntegerField()),
                0,
            )
        )
    )
    sql, pending_params = pending.query.sql_with_params()
    parts.append(f"SELECT p.household_id, p.area_id, -p.n AS n FROM ({sql}) p")  # noqa: S608
    params += pending_params
    return " UNION ALL ".join(parts), params


def _households_refill(campaign: Campaign, scope_path: str) -> None:
    """The campaign's household rows at every level of its scope, in one INSERT … SELECT:
    each record's leaf joined to its ancestors by path prefix (one per level)."""
    q = quote
    deepest = Area.objects.filter(path__startswith=scope_path).aggregate(
        deepest=models.Max("depth")
    )["deepest"]
    if deepest is None:
        return
    lengths = range(len(scope_path), deepest * Area.steplen + 1, Area.steplen)
    levels = " UNION ALL ".join(f"SELECT {int(length)} AS n" for length in lengths)
    rows_sql, rows_params = _reach_rows(campaign)
    area_table = q(Area._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(CampaignHouseholdTally._meta.db_table)} "  # noqa: S608
            f"({q('campaign_id')}, {q('area_id')}, {q('household_id')}, {q(HOUSEHOLD_VISITS)}) "
            f"SELECT %s, anc.{q('id')}, r.household_id, SUM(r.n) FROM ({rows_sql}) r "
            f"JOIN {area_table} leaf ON leaf.{q('id')} = r.area_id "
            f"JOIN ({levels}) lv ON lv.n <= LENGTH(leaf.{q('path')}) "
            f"JOIN {area_table} anc ON anc.{q('path')} = SUBSTR(leaf.{q('path')}, 1, lv.n) "
            f"WHERE leaf.{q('path')} LIKE %s "
            f"GROUP BY anc.{q('id')}, r.household_id HAVING SUM(r.n) <> 0",
            [campaign.pk, *rows_params, scope_path + "%"],
        )


# Told how far a refill has gone: (units done, units in all).
Progress = Callable[[int, int], None]


def _parts(scope_path: str) -> list[tuple[str, str]]:
    """The scope cut into disjoint parts of its tree, for the area and volunteer refills: the
    scope's own unit, then each child with its subtree. Their rows are keyed by area, so each
    part is refilled by a statement of its own (progress between them) with the same result
    as one over the whole scope."""
    q = quote
    children = Area.objects.filter(
        path__startswith=scope_path, depth=len(scope_path) // Area.steplen + 1
    ).values_list("path", flat=True)
    own = (f"{q('path')} = %s", scope_path)
    return [own, *((f"{q('path')} LIKE %s", path + "%") for path in children.order_by("path"))]


def campaign_tallies_refresh(campaign: Campaign, progress: Progress | None = None) -> None:
    """Refill the campaign's CampaignAreaTally / CampaignVolunteerTally / CampaignHouseholdTally
    rows, set-based: the households from the recording apps' reach sources in one statement,
    then the volunteers and the areas from the day tables part by part (`_parts`), telling
    `progress` after each. In one transaction under the exclusive tally lock: no fold runs
    meanwhile, and readers see the old rows until it commits."""
    with transaction.atomic():
        tally_lock(shared=False)
        CampaignHouseholdTally.objects.filter(campaign=campaign).delete()
        CampaignVolunteerTally.objects.filter(campaign=campaign).delete()
        CampaignAreaTally.objects.filter(campaign=campaign).delete()
        scope_path = Area.objects.values_list("path", flat=True).get(pk=campaign.scope_id)
        parts = _parts(scope_path)
        # The households' statement reads the visits themselves: weighed as heavy as the rest.
        total, done = 3 * len(parts), len(parts)
        if progress:
            progress(0, total)
        _households_refill(campaign, scope_path)
        if progress:
            progress(done, total)
        for refill in (_volunteers_refill, _areas_refill):
            for where, param in parts:
                refill(campaign, where, param)
                done += 1
                if progress:
                    progress(done, total)


def _period(campaign: Campaign) -> list:
    return [day_param(campaign.start), day_param(campaign.end)]


def _volunteers_refill(campaign: Campaign, where: str, param: str) -> None:
    q = quote
    area_table, cv_table = q(Area._meta.db_table), q(CampaignVolunteerTally._meta.db_table)
    part = f"SELECT {q('id')} FROM {area_table} WHERE {where}"  # noqa: S608
    sums = ", ".join(f"SUM(t.{q(name)})" for name in INDICATORS)
    names = ", ".join(q(name) for name in INDICATORS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {cv_table} ({q('campaign_id')}, {q('area_id')}, "  # noqa: S608
            f"{q('volunteer_id')}, {q(ACTIVE_DAYS)}, {names}) "
            f"SELECT %s, t.{q('area_id')}, t.{q('volunteer_id')}, "
            f"SUM(CASE WHEN t.{q('activity')} > 0 THEN 1 ELSE 0 END), {sums} "
            f"FROM {q(VolunteerDayTally._meta.db_table)} t "
            f"WHERE t.{q('area_id')} IN ({part}) AND t.{q('day')} BETWEEN %s AND %s "
            f"GROUP BY t.{q('area_id')}, t.{q('volunteer_id')}",
            [campaign.pk, param, *_period(campaign)],
        )


def _areas_refill(campaign: Campaign, where: str, param: str) -> None:
    """After the volunteer and household rows of the same areas: it counts them."""
    q = quote
    area_table, cv_table = q(Area._meta.db_table), q(CampaignVolunteerTally._meta.db_table)
    ch_table = q(CampaignHouseholdTally._meta.db_table)
    part = f"SELECT {q('id')} FROM {area_table} WHERE {where}"  # noqa: S608
    area_sums = ", ".join(f"SUM(t.{q(name)})" for name in AREA_COLUMNS)
    area_names = ", ".join(q(name) for name in AREA_COLUMNS)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(CampaignAreaTally._meta.db_table)} ({q('campaign_id')}, "  # noqa: S608
            f"{q('area_id')}, {area_names}, {q(UNIQUE)}, {q(REACHED)}, {q('revision')}, "
            f"{q('updated_at')}) "
            f"SELECT %s, t.{q('area_id')}, {area_sums}, "
            f"(SELECT COUNT(*) FROM {cv_table} v WHERE v.{q('campaign_id')} = %s "
            f"AND v.{q('area_id')} = t.{q('area_id')} AND v.{q(ACTIVE_DAYS)} > 0), "
            f"(SELECT COUNT(*) FROM {ch_table} h WHERE h.{q('campaign_id')} = %s "
            f"AND h.{q('area_id')} = t.{q('area_id')} AND h.{q(HOUSEHOLD_VISITS)} > 0), 1, %s "
            f"FROM {q(AreaDayTally._meta.db_table)} t "
            f"WHERE t.{q('area_id')} IN ({part}) AND t.{q('day')} BETWEEN %s AND %s "
            f"GROUP BY t.{q('area_id')}",
            [campaign.pk, campaign.pk, campaign.pk, now, param, *_period(campaign)],
        )
