"""A campaign's own rows (CampaignAreaTally, CampaignVolunteerTally, CampaignHouseholdTally),
refilled set-based when it is created or its period or scope moves: the area and volunteer
rows from the day tables, the household rows from the recording apps' reach sources."""

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


def campaign_tallies_refresh(campaign: Campaign) -> None:
    """Refill the campaign's CampaignAreaTally / CampaignVolunteerTally rows from the day
    tables with two INSERT … SELECT … GROUP BY: its scope's areas over its period."""
    with transaction.atomic():
        tally_lock(shared=False)
        CampaignHouseholdTally.objects.filter(campaign=campaign).delete()
        CampaignVolunteerTally.objects.filter(campaign=campaign).delete()
        CampaignAreaTally.objects.filter(campaign=campaign).delete()
        scope_path = Area.objects.values_list("path", flat=True).get(pk=campaign.scope_id)
        _households_refill(campaign, scope_path)
        q = quote
        area_table, cv_table = q(Area._meta.db_table), q(CampaignVolunteerTally._meta.db_table)
        subtree = f"SELECT {q('id')} FROM {area_table} WHERE {q('path')} LIKE %s"  # noqa: S608
        period = [scope_path + "%", day_param(campaign.start), day_param(campaign.end)]
        sums = ", ".join(f"SUM(t.{q(name)})" for name in INDICATORS)
        names = ", ".join(q(name) for name in INDICATORS)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        ch_table = q(CampaignHouseholdTally._meta.db_table)
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
                f"{q('area_id')}, {area_names}, {q(UNIQUE)}, {q(REACHED)}, {q('revision')}, "
                f"{q('updated_at')}) "
                f"SELECT %s, t.{q('area_id')}, {area_sums}, "
                f"(SELECT COUNT(*) FROM {cv_table} v WHERE v.{q('campaign_id')} = %s "
                f"AND v.{q('area_id')} = t.{q('area_id')} AND v.{q(ACTIVE_DAYS)} > 0), "
                f"(SELECT COUNT(*) FROM {ch_table} h WHERE h.{q('campaign_id')} = %s "
                f"AND h.{q('area_id')} = t.{q('area_id')} AND h.{q(HOUSEHOLD_VISITS)} > 0), 1, %s "
                f"FROM {q(AreaDayTally._meta.db_table)} t "
                f"WHERE t.{q('area_id')} IN ({subtree}) AND t.{q('day')} BETWEEN %s AND %s "
                f"GROUP BY t.{q('area_id')}",
                [campaign.pk, campaign.pk, campaign.pk, now, *period],
            )
