"""A campaign's own rows (CampaignAreaTally, CampaignVolunteerTally), refilled set-based
from the day tables when it is created or its period or scope moves."""

from django.db import connection, transaction
from django.utils import timezone

from areas.models import Area

from ..models import (
    AreaDayTally,
    Campaign,
    CampaignAreaTally,
    CampaignVolunteerTally,
    VolunteerDayTally,
)
from .apply import day_param, quote, tally_lock
from .compute import ACTIVE_DAYS, AREA_COLUMNS, INDICATORS, UNIQUE


def campaign_tallies_refresh(campaign: Campaign) -> None:
    """Refill the campaign's CampaignAreaTally / CampaignVolunteerTally rows from the day
    tables with two INSERT … SELECT … GROUP BY: its scope's areas over its period."""
    with transaction.atomic():
        tally_lock(shared=False)
        CampaignVolunteerTally.objects.filter(campaign=campaign).delete()
        CampaignAreaTally.objects.filter(campaign=campaign).delete()
        scope_path = Area.objects.values_list("path", flat=True).get(pk=campaign.scope_id)
        q = quote
        area_table, cv_table = q(Area._meta.db_table), q(CampaignVolunteerTally._meta.db_table)
        subtree = f"SELECT {q('id')} FROM {area_table} WHERE {q('path')} LIKE %s"  # noqa: S608
        period = [scope_path + "%", day_param(campaign.start), day_param(campaign.end)]
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
