"""The table of every indicator under a dashboard: not in the page (folded, it was more than
half of a city's page), fetched when its box is opened, or a page of its own without script;
scoped as the dashboard is, cached per data version, never stale, never figures mid-recount."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.recount import campaign_store

from .factories import CURRENT_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db

FRAGMENT = {"HX-Request": "true"}


def _table_url(campaign, area) -> str:
    return reverse("campaigns:area-table", args=[campaign.pk, area.pk])


def _achieved(html: str, row_name: str, key: str) -> str:
    row = html[html.index(f'data-row="{row_name}"') :]
    row = row[: row.index("</tr>")]
    marker = f'data-indicator="{key}" data-achieved="'
    start = row.index(marker) + len(marker)
    return row[start : row.index('"', start)]


def test_the_page_folds_the_table_behind_a_link_and_the_box_fetches_it(login, world):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=4)
    client = login(world.users["city"])
    page = client.get(campaign.get_absolute_url()).content.decode()
    url = _table_url(campaign, world.city)
    assert 'data-table="children"' not in page
    assert f'data-table-src="{url}"' in page
    assert f'<a href="{url}">' in page  # without script: the table's own page

    response = client.get(url, headers=FRAGMENT)
    assert response.status_code == 200
    table = response.content.decode()
    assert "<html" not in table  # the table alone, put into the box
    assert 'data-table="children"' in table
    assert _achieved(table, world.ward.name, "households_visited") == "4"
    assert _achieved(table, world.other_ward.name, "households_visited") == "0"
    assert "HX-Request" in response["Vary"]


def test_without_script_the_table_is_a_page_of_its_own(login, world):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    response = login(world.users["city"]).get(_table_url(campaign, world.city))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert 'data-table="children"' in page
    assert reverse("campaigns:area", args=[campaign.pk, world.city.pk]) in page  # the way back
    assert _achieved(page, world.ward.name, "households_visited") == "2"


def test_rows_follow_the_share_of_targets_met(login, world):
    campaign = campaign_for(world.city)
    target(campaign, world.ward, "households_visited", 10)
    target(campaign, world.other_ward, "households_visited", 10)
    record(world.groups[0], CURRENT_DAY, None, households_visited=2)
    record(world.other_groups[0], CURRENT_DAY, None, households_visited=9)
    table = (
        login(world.users["city"])
        .get(_table_url(campaign, world.city), headers=FRAGMENT)
        .content.decode()
    )
    assert table.index(world.other_ward.name) < table.index(world.ward.name)


def test_a_ward_coordinator_gets_no_table_of_another_ward(login, world):
    campaign = campaign_for(world.city)
    client = login(world.users["ward"])
    assert client.get(_table_url(campaign, world.ward), headers=FRAGMENT).status_code == 200
    assert client.get(_table_url(campaign, world.other_ward), headers=FRAGMENT).status_code == 404
    assert client.get(_table_url(campaign, world.city), headers=FRAGMENT).status_code == 404


def test_a_volunteer_is_refused_and_a_stranger_sent_to_sign_in(login, world):
    campaign = campaign_for(world.city)
    url = _table_url(campaign, world.city)
    assert login(world.users["volunteer"]).get(url, headers=FRAGMENT).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_cached_table_moves_with_the_data(login, world, django_assert_max_num_queries):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    client = login(world.users["city"])
    url = _table_url(campaign, world.city)
    first = client.get(url, headers=FRAGMENT).content.decode()
    assert _achieved(first, world.ward.name, "households_visited") == "1"
    with django_assert_max_num_queries(5):  # session, user, roles, campaign, head: no figures
        assert client.get(url, headers=FRAGMENT).content.decode() == first
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=2)
    again = client.get(url, headers=FRAGMENT).content.decode()
    assert _achieved(again, world.ward.name, "households_visited") == "3"


def test_no_figures_while_the_campaign_is_recounted(
    login, world, django_capture_on_commit_callbacks
):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    campaign.end = campaign.end + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks():  # the recount's job is not run
        campaign_store(campaign=campaign, user=world.users["city"])
    client = login(world.users["city"])
    url = _table_url(campaign, world.city)
    fragment = client.get(url, headers=FRAGMENT).content.decode()
    assert 'data-table="children"' not in fragment
    assert "Đang tính lại số liệu" in fragment
    page = client.get(url).content.decode()
    assert 'data-table="children"' not in page
    assert "data-recounting" in page
