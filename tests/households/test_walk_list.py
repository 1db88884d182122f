"""The walk list: a volunteer's households in street order, visited ones marked for the
current campaign, "not yet visited" filtered, the next household one tap away, and the offline
list carrying only addresses."""

import datetime

import pytest
from django.utils import timezone

from households.addresses import walk_key
from households.selectors import (
    FILTER_UNVISITED,
    household_brief_for,
    household_list_for,
    household_next_unvisited,
    household_walk_list_for,
)
from tests.campaigns.factories import campaign_for

from .factories import days_ago, household_in, visit_for

pytestmark = pytest.mark.django_db


def key(address: str, house: str = "", alley: str = "") -> str:
    return walk_key(house_number=house, alley=alley, street=address)


# --- Parsing Vietnamese addresses ------------------------------------------------------------
@pytest.mark.parametrize(
    ("house", "alley", "street"),
    [
        ("Số 12", "ngõ 34", "phố Định Công"),
        ("12/34", "", "Định Công"),
        ("", "", "Số 12, ngõ 34, phố Định Công"),
        ("", "", "12/34 Định Công"),
        ("12", "Ngõ 34", "Dinh Cong"),
    ],
)
def test_one_address_written_five_ways_has_one_walk_key(house, alley, street):
    assert key(street, house, alley) == key("phố Định Công", "Số 12", "ngõ 34")


def test_an_alley_sorts_where_it_opens_on_the_street():
    """House 33, then ngõ 34 (its mouth, then its houses and ngách), then house 35."""
    written = [
        ("35", "", "Định Công"),
        ("5", "ngách 2, ngõ 34", "Định Công"),
        ("12", "ngõ 34", "Định Công"),
        ("2", "ngõ 34", "Định Công"),
        ("34", "", "Định Công"),
        ("33", "", "Định Công"),
        ("12A", "", "Định Công"),
        ("12", "", "Định Công"),
        ("9", "", "Định Công"),
    ]
    walked = sorted(written, key=lambda row: key(row[2], row[0], row[1]))
    assert walked == [
        ("9", "", "Định Công"),
        ("12", "", "Định Công"),
        ("12A", "", "Định Công"),
        ("33", "", "Định Công"),
        ("34", "", "Định Công"),
        ("2", "ngõ 34", "Định Công"),
        ("5", "ngách 2, ngõ 34", "Định Công"),
        ("12", "ngõ 34", "Định Công"),
        ("35", "", "Định Công"),
    ]


def test_streets_come_one_after_the_other_whatever_their_prefix():
    assert key("Phố Bạch Mai", "90") < key("đường Định Công", "1") < key("Định Công Thượng", "1")


def test_an_address_without_numbers_has_a_stable_place_and_never_fails():
    landmark = key("Định Công", alley="cạnh nhà văn hoá")
    assert landmark == key("Định Công", alley="cạnh nhà văn hoá")
    assert key("Định Công") <= landmark < key("Định Công Thượng")
    assert key("") == key("")  # an erased address
    assert len(key("x" * 200, "9" * 50, "ngõ " + "8" * 60)) <= 160


# --- The list --------------------------------------------------------------------------------
@pytest.fixture
def volunteer(world):
    return world.users["volunteer"]


def addresses(households) -> list[str]:
    return [household.address for household in households]


def test_the_list_is_in_walk_order_across_groups(world, volunteer):
    household_in(world.groups[1], house_number="35", street="Định Công")
    household_in(world.groups[0], house_number="12", alley="ngõ 34", street="Định Công")
    household_in(world.groups[0], house_number="9", street="Định Công")
    household_in(world.groups[1], house_number="1", street="Bạch Mai")
    assert addresses(household_list_for(user=volunteer)) == [
        "1, Bạch Mai",
        "9, Định Công",
        "12, ngõ 34, Định Công",
        "35, Định Công",
    ]


def test_visited_means_visited_in_the_current_campaign(world, volunteer):
    before = household_in(world.groups[0], house_number="1")
    during = household_in(world.groups[0], house_number="2")
    never = household_in(world.groups[0], house_number="3")
    visit_for(before, volunteer, device_time=days_ago(20))
    visit_for(during, volunteer, device_time=days_ago(1))
    # No campaign running: any visit counts.
    marks = {h.pk: h.visited for h in household_walk_list_for(user=volunteer)}
    assert marks == {before.pk: True, during.pk: True, never.pk: False}

    campaign_for(world.city, start=timezone.localdate() - datetime.timedelta(days=5))
    volunteer = type(volunteer).objects.get(pk=volunteer.pk)  # a new request
    marks = {h.pk: h.visited for h in household_walk_list_for(user=volunteer)}
    assert marks == {before.pk: False, during.pk: True, never.pk: False}
    unvisited = household_list_for(user=volunteer, filter=FILTER_UNVISITED)
    assert {h.pk for h in unvisited} == {before.pk, never.pk}


def test_next_household_is_the_next_unvisited_in_walk_order_wrapping_round(world, volunteer):
    first = household_in(world.groups[0], house_number="1")
    second = household_in(world.groups[0], house_number="2")
    third = household_in(world.groups[0], house_number="3")
    fourth = household_in(world.groups[0], house_number="4")
    visit_for(third, volunteer)
    visit_for(second, volunteer)
    assert household_next_unvisited(user=volunteer, after=second) == fourth
    visit_for(fourth, volunteer)
    assert household_next_unvisited(user=volunteer, after=fourth) == first
    visit_for(first, volunteer)
    assert household_next_unvisited(user=volunteer, after=first) is None


def test_next_household_never_leaves_the_volunteers_reach(world, volunteer):
    here = household_in(world.groups[0], house_number="1")
    household_in(world.other_groups[0], house_number="2")
    visit_for(here, volunteer)
    assert household_next_unvisited(user=volunteer, after=here) is None


def test_the_offline_list_carries_no_contact_and_no_search_key(world, volunteer):
    household_in(
        world.groups[0],
        house_number="7",
        street="Trần Điện",
        contact_name="Nguyễn Văn Hộ",
        contact_phone="0912345678",
        consent_at=timezone.now(),
        search_key="7 tran dien nguyen van ho 0912345678",
    )
    (row,) = household_brief_for(user=volunteer)
    assert set(row) == {"id", "uuid", "address", "group", "members", "status", "visited"}
    assert "0912345678" not in str(row)
    assert "Nguyễn" not in str(row)
    assert row["address"] == "7, Trần Điện"
    assert row["visited"] is False


# --- Pages -----------------------------------------------------------------------------------
def test_the_list_page_marks_visited_and_filters_not_yet_visited(world, login, volunteer):
    visited = household_in(world.groups[0], house_number="1", street="Phố Đã Thăm")
    household_in(world.groups[0], house_number="2", street="Phố Chưa Thăm")
    visit_for(visited, volunteer)
    client = login(volunteer)
    page = client.get("/households/").content.decode()
    assert page.count("data-visited") == 1
    unvisited = client.get("/households/", {"filter": "unvisited"}).content.decode()
    assert "Phố Chưa Thăm" in unvisited
    assert "Phố Đã Thăm" not in unvisited


def test_after_saving_the_household_page_offers_the_next_one(world, login, volunteer):
    here = household_in(world.groups[0], house_number="1")
    following = household_in(world.groups[0], house_number="2")
    client = login(volunteer)
    response = client.post(f"/households/{here.pk}/visit/", {"result": "not_home"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/households/{here.pk}/?saved=visit"
    assert response.context["following"] == following
    page = response.content.decode()
    assert "Đã lưu lượt thăm" in page
    assert f'href="/households/{following.pk}/" data-next-household' in page
    # Without a save just made, no "next" (a bookmark or a reload does not offer one).
    assert client.get(f"/households/{here.pk}/").context["following"] is None


def test_a_coordinator_reading_a_household_is_offered_no_next(world, login):
    here = household_in(world.groups[0], house_number="1")
    household_in(world.groups[0], house_number="2")
    page = login(world.users["ward"]).get(f"/households/{here.pk}/?saved=visit")
    assert page.context["following"] is None
