"""An existing database upgrades by `migrate` alone across the recount's migration: campaigns
0011 refills the campaigns that existed then through the live refresh, reading only the
columns its own tables have (0013 adds Campaign.latest_recount after it)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from campaigns.models import Campaign, CampaignAreaTally, CampaignHouseholdTally
from campaigns.recount import campaign_recount_state
from campaigns.tallies import tallies_check_drift
from tests.households.factories import household_in, visit_for

from .factories import campaign_for

BEFORE_REACH = [("campaigns", "0010_signoff")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == "campaigns"]


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


@pytest.mark.django_db(transaction=True)
def test_an_upgraded_database_refills_its_campaigns_and_knows_no_recount(world):
    today = timezone.localdate()
    campaign = campaign_for(
        world.city, start=today - timezone.timedelta(days=5), end=today + timezone.timedelta(days=5)
    )
    visit_for(household_in(world.groups[0]), world.users["volunteer"], install_guidance=1)
    latest = _latest()
    try:
        _migrate(BEFORE_REACH)
        assert "latest_recount_id" not in _columns(Campaign._meta.db_table)
        assert "households_reached" not in _columns(CampaignAreaTally._meta.db_table)
    finally:
        _migrate(latest)
    # 0011 counted the household the campaign reached, through today's code and model.
    assert CampaignHouseholdTally.objects.filter(campaign=campaign, area=world.city).count() == 1
    assert CampaignAreaTally.objects.get(campaign=campaign, area=world.city).households_reached == 1
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.latest_recount is None
    assert campaign_recount_state(campaign=campaign) is None  # its figures read as they are
    assert tallies_check_drift().drift_count == 0
