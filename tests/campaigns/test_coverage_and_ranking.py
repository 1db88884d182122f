"""Coverage against the registry (households reached, groups not yet reached, level-2 against
members), the ranking one indicator at a time, and the dashboard that shows them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.selectors import area_rows, child_areas
from campaigns.selectors.coverage import coverage_by_unit, groups_not_reached
from campaigns.selectors.ranking import indicator_ranking
from households.services import visit_review
from tests.households.factories import household_in, raw_visit, visit_for

from .factories import CURRENT_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return campaign_for(
        world.city,
        start=today - datetime.timedelta(days=10),
        end=today + datetime.timedelta(days=10),
    )


def test_reached_counts_households_met_in_the_period_once(world, campaign):
    volunteer = world.users["volunteer"]
    first, second, third = (household_in(world.groups[0], members=4) for _ in range(3))
    household_in(world.groups[1], members=2)
    visit_for(first, volunteer, install_guidance=1)
    visit_for(first, volunteer, install_guidance=1)  # the same household twice: once
    visit_for(second, volunteer, result="not_home")  # nobody met: not reached
    rejected = visit_for(third, volunteer, level2_coaching=1)
    visit_review(visit=rejected, reviewer=world.users["ward"], approve=False)
    raw_visit(third, volunteer, device_time=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC))
    coverage = coverage_by_unit(campaign=campaign, units=[world.ward, *world.groups[:2]])
    assert (coverage[world.ward.pk].households, coverage[world.ward.pk].reached) == (4, 1)
    assert coverage[world.ward.pk].share == 25.0
    assert coverage[world.ward.pk].members == 14
    assert coverage[world.groups[0].pk].not_reached == 2
    assert coverage[world.groups[1].pk].not_reached == 1


def test_coverage_costs_a_fixed_number_of_queries(world, campaign, django_assert_max_num_queries):
    for group in world.groups:
        household_in(group)
    units = [world.city, *child_areas(area=world.city)]
    with django_assert_max_num_queries(3):  # the registry per depth; reach and level 2 once
        coverage = coverage_by_unit(campaign=campaign, units=units)
    assert coverage[world.city.pk].households == len(world.groups)
    assert coverage[world.ward.pk].households == len(world.groups)


def test_groups_with_most_households_not_reached_come_first(world, campaign):
    for _ in range(3):
        household_in(world.groups[2])
    household_in(world.groups[0])
    ranked = groups_not_reached(campaign=campaign, ward=world.ward, limit=2)
    assert [(group, cov.not_reached) for group, cov in ranked] == [
        (world.groups[2], 3),
        (world.groups[0], 1),
    ]


def test_level2_activations_against_the_registry_members(world):
    campaign = campaign_for(world.city)
    household_in(world.groups[0], members=10)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], level2_activations=4)
    coverage = coverage_by_unit(campaign=campaign, units=[world.ward])[world.ward.pk]
    assert (coverage.level2, coverage.members, coverage.level2_share) == (4, 10, 40.0)


def test_ranking_one_indicator_top_and_bottom(world):
    campaign = campaign_for(world.city)
    communes = child_areas(area=world.city)
    for index, commune in enumerate(communes[:3]):
        target(campaign, commune, "install_guidance", 10)
        record(commune, CURRENT_DAY, install_guidance=index + 1)
    rows = area_rows(campaign=campaign, areas=communes, url_for=lambda _a: None, pace=50)
    ranked = indicator_ranking(rows=rows, key="install_guidance", pace=50)
    assert [unit.row.name for unit in ranked[:3]] == [c.name for c in reversed(communes[:3])]
    assert ranked[0].cell.pct == 30.0
    assert ranked[0].tone == "bad"
    assert [unit.middle for unit in ranked[:6]] == [False] * 5 + [True]
    assert not ranked[-1].middle
    assert sum(not unit.middle for unit in ranked) == 10
    assert ranked[0].search == ranked[0].search.lower()


def test_ward_dashboard_shows_coverage_groups_and_links_volunteers(login, world):
    campaign = campaign_for(world.city)
    household_in(world.groups[1])
    household_in(world.groups[1])
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], install_guidance=2)
    page = login(world.users["ward"]).get(
        reverse("campaigns:area", args=[campaign.pk, world.ward.pk])
    )
    text = page.content.decode()
    assert 'data-coverage-households="2"' in text
    first_group = text.index('data-not-reached="2"')
    assert first_group < text.index('data-not-reached="0"')
    visits = reverse("workspace:visit-list", args=[world.ward.pk])
    link = f"{visits}?volunteer={world.users['volunteer'].pk}&amp;date_from={campaign.start}"
    assert link in text
    assert "data-ranking-list" in text


def test_dashboard_query_count_stays_bounded_with_more_units(
    login, world, django_assert_max_num_queries
):
    campaign = campaign_for(world.city)
    client = login(world.users["city"])
    url = reverse("campaigns:area", args=[campaign.pk, world.city.pk])
    client.get(url)  # warm the session and the caches of the roles
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_the_indicator_switcher_reorders_the_ranking(login, world):
    campaign = campaign_for(world.city)
    communes = child_areas(area=world.city)
    record(communes[5], CURRENT_DAY, install_guidance=9)
    record(communes[7], CURRENT_DAY, households_visited=9)
    client = login(world.users["city"])
    url = reverse("campaigns:area", args=[campaign.pk, world.city.pk])

    def ranking_of(indicator: str) -> str:
        text = client.get(url, {"chi_tieu": indicator}).content.decode()
        start = text.index("data-ranking-list data-indicator")
        return text[start : text.index("</ol>", start)]

    by_install = ranking_of("install_guidance")
    by_visits = ranking_of("households_visited")
    assert 'data-indicator="install_guidance"' in by_install
    assert by_install.index(f'data-row="{communes[5].name}"') < by_install.index(
        f'data-row="{communes[7].name}"'
    )
    assert by_visits.index(f'data-row="{communes[7].name}"') < by_visits.index(
        f'data-row="{communes[5].name}"'
    )


# --- In the API --------------------------------------------------------------------------------
def test_the_api_gives_coverage_of_an_area_and_its_children_in_its_scope(world, campaign):
    from campaigns.services import api_token_create

    volunteer = world.users["volunteer"]
    first, _second = (household_in(world.groups[0], members=3) for _ in range(2))
    household_in(world.groups[1], members=2)
    visit_for(first, volunteer, install_guidance=1)
    url = reverse("campaigns:api-coverage", args=[campaign.pk])
    ward_key = api_token_create(user=world.users["ward"], name="Phường")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ward_key}"}

    body = Client().get(url, {"area": world.ward.pk}, **headers).json()
    assert body["area"]["id"] == world.ward.pk
    assert body["coverage"]["households"] == 3
    assert body["coverage"]["reached"] == 1
    assert body["coverage"]["members"] == 8
    children = {row["id"]: row["coverage"] for row in body["children"]}
    assert children[world.groups[0].pk]["not_reached"] == 1
    assert children[world.groups[0].pk]["share"] == 50.0
    assert children[world.groups[1].pk]["reached"] == 0
    # Another ward's coordinator's key never answers for this ward.
    other_key = api_token_create(user=world.users["other_ward"], name="Khác")[1]
    refused = Client().get(url, {"area": world.ward.pk}, HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("application/json")


def test_the_dashboard_shows_coverage_as_it_stands(world, campaign):
    """Coverage is read from summary rows, so the dashboard counts it live: a visit, and a
    household added to the lists, show on the next view (the cached body's version moves
    with both)."""
    client = Client()
    client.force_login(world.users["ward"])
    url = reverse("campaigns:area", args=[campaign.pk, world.ward.pk])
    first = household_in(world.groups[0])
    before = client.get(url).context["coverage"]
    assert (before.households, before.reached) == (1, 0)
    visit_for(first, world.users["volunteer"], install_guidance=1)
    after_visit = client.get(url).context["coverage"]
    assert (after_visit.households, after_visit.reached) == (1, 1)
    household_in(world.groups[1])
    after_household = client.get(url).context["coverage"]
    assert (after_household.households, after_household.reached) == (2, 1)
