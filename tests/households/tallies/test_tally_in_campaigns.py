"""Tallies count in the dashboard, the report and the API as visits do, and the dashboard
says how much of each total came from tallies."""

import datetime

import pytest
from django.urls import reverse

from campaigns.report import report_data
from campaigns.selectors.tally_share import campaign_tally_share
from campaigns.services import api_token_create
from households.tallies.services import TallyEntry, tallies_save
from tests.campaigns.factories import campaign_for, record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 3, 12)


def back_enter(world, **counts) -> None:
    tallies_save(
        user=world.users["city"],
        entries=[TallyEntry(area=world.legacy_ward, day=DAY, counts=counts)],
    )


def test_a_tally_shows_in_the_dashboard_with_its_share(world, client):
    campaign = campaign_for(world.legacy_city)
    back_enter(world, install_guidance=14, volunteer_days=4)
    # A visit-borne count in the same period, for the share to be a part of the total.
    record(
        world.legacy_groups[0],
        DAY + datetime.timedelta(days=1),
        world.users["volunteer"],
        install_guidance=6,
    )
    client.force_login(world.users["city"])
    page = client.get(reverse("campaigns:area", args=[campaign.pk, world.legacy_city.pk]))
    body = page.content.decode()
    assert 'data-indicator="install_guidance" data-achieved="20"' in body
    assert 'id="tally-share"' in body
    share = campaign_tally_share(campaign=campaign, area=world.legacy_city)
    assert {cell["key"]: cell["value"] for cell in share["tally_share"]}["install_guidance"] == "14"
    assert [row["name"] for row in share["tally_share_rows"]] == [world.legacy_district.name]


def test_the_report_and_the_api_count_tallies(world, client):
    campaign = campaign_for(world.legacy_city)
    back_enter(world, level1_activations=3, dossiers_eid=2, dossiers_online=1)
    data = report_data(campaign=campaign, area=world.legacy_city)
    assert data.total.value("level1_activations") == 3
    assert data.total.value("dossiers_total") == 3
    _token, raw = api_token_create(user=world.users["city"], name="IOC")
    totals = client.get(
        reverse("campaigns:api-totals", args=[campaign.pk]) + f"?area={world.legacy_city.pk}",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    ).json()
    assert totals["totals"]["level1_activations"]["achieved"] == 3
    assert totals["unique_volunteers"] == 0


def test_no_share_section_without_tallies(world, client):
    campaign = campaign_for(world.legacy_city)
    client.force_login(world.users["city"])
    page = client.get(reverse("campaigns:area", args=[campaign.pk, world.legacy_city.pk]))
    assert 'id="tally-share"' not in page.content.decode()
