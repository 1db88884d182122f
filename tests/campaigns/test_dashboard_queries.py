"""The city and district dashboards cost a fixed, small number of queries, whatever the number
of units below them (issue 15: ≤ 8 for the whole uncached request; 6 here). Every unit here is
busy — its figures, targets and sign-off (decided by someone), reports, an overlapping campaign — so
that a read per unit (a lazy related object, a deferred field) shows up as a broken budget."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, Level
from campaigns.models import Campaign, ReportJob, SignOff, SignOffState, Target
from campaigns.selectors import campaign_dashboard, coordination_scope, dashboard_crumbs

from .factories import CURRENT_DAY, LEGACY_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db
# Session, user, roles with their areas (the scope); the campaign; the page's head (the data
# version, the viewer's latest reports and, named by id, the unit itself): a cached page.
CACHED_PAGE_QUERIES = 5
# Uncached, the body: every read in one statement (the campaign's own, and households' registry
# behind coverage and the tallies' share).
BODY_QUERIES = 1
PAGE_QUERIES = CACHED_PAGE_QUERIES + BODY_QUERIES


def _busy(campaign: Campaign, parent: Area, day, world) -> list[Area]:
    """Every unit under `parent` with figures and targets, every ward signed off (half of them
    decided), the viewer's reports, and an overlapping campaign."""
    units = list(Area.objects.filter(path__startswith=parent.path, depth=parent.depth + 1))
    wards = Area.objects.filter(path__startswith=parent.path, level=Level.WARD)
    for number, unit in enumerate(units[:40]):
        record(unit, day, world.users["volunteer"], install_guidance=number + 1)
    for unit in units:
        target(campaign, unit, "install_guidance", 100)
    now = timezone.now()
    SignOff.objects.bulk_create(
        SignOff(
            campaign=campaign,
            area=ward,
            state=SignOffState.APPROVED if number % 2 else SignOffState.SUBMITTED,
            submitted_by=world.users["ward"],
            submitted_at=now,
            decided_by=world.users["district"] if number % 2 else None,
            decided_at=now if number % 2 else None,
        )
        for number, ward in enumerate(wards)
    )
    for _ in range(4):
        ReportJob.objects.create(campaign=campaign, area=parent, created_by=world.users["city"])
    campaign_for(parent, name="Chiến dịch trùng", start=campaign.start, end=campaign.end)
    return units


def _uncached_page(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _cached_page(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_city_dashboard_reads_its_126_communes_in_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    campaign = campaign_for(world.city)
    target(campaign, world.city, "install_guidance", 500)
    units = _busy(campaign, world.city, CURRENT_DAY, world)
    Target.objects.filter(campaign=campaign, area=world.ward).update(value=50)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], install_guidance=3)
    assert len(units) > 100
    client = login(world.users["city"])
    url = campaign.get_absolute_url()
    client.get(url)  # warm: templates, translations
    assert _uncached_page(client, url) <= PAGE_QUERIES
    assert _cached_page(client, url) <= CACHED_PAGE_QUERIES
    user = world.users["city"]
    crumbs = dashboard_crumbs(user=user, campaign=campaign, area=world.city)
    coordination_scope(user)  # read with the user on every request
    with django_assert_max_num_queries(BODY_QUERIES):
        context = campaign_dashboard(user=user, campaign=campaign, area=world.city, crumbs=crumbs)
    ward_row = next(row for row in context["rows"] if row.extra["area"].pk == world.ward.pk)
    assert ward_row.value("install_guidance") == 3 + units.index(world.ward) + 1
    assert next(c for c in ward_row.cells if c.key == "install_guidance").target == 50
    assert ward_row.extra["signoff"].code in (SignOffState.SUBMITTED, SignOffState.APPROVED)
    assert context["unique_volunteers"] == 1
    assert [other.name for other in context["overlaps"]] == ["Chiến dịch trùng"]


def test_district_dashboard_of_a_legacy_campaign_costs_the_same(world, login):
    campaign = campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")
    district = world.legacy_district
    units = _busy(campaign, district, LEGACY_DAY, world)
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], level2_activations=6)
    assert len(units) > 5
    client = login(world.users["city"])
    url = reverse("campaigns:area", args=[campaign.pk, district.pk])
    client.get(url)
    # The unit is read with the page's head: no query more than the city's root.
    assert _uncached_page(client, url) <= PAGE_QUERIES
    assert _cached_page(client, url) <= CACHED_PAGE_QUERIES
    # The root of a pre-2025 campaign: its rows are districts, each counting its wards.
    assert _uncached_page(client, campaign.get_absolute_url()) <= PAGE_QUERIES
    assert _cached_page(client, campaign.get_absolute_url()) <= CACHED_PAGE_QUERIES


def test_a_ward_page_with_its_volunteers_teams_and_history_costs_the_same(world, login):
    """A ward coordinator opening a city campaign lands on their ward: its groups, volunteers,
    teams and its sign-off's history, within the same budget."""
    campaign = campaign_for(world.city)
    for number, group in enumerate(world.groups):
        record(group, CURRENT_DAY, world.volunteers[number % len(world.volunteers)], other_help=1)
    client = login(world.users["ward"])
    client.post(
        reverse("campaigns:signoff-campaign", args=[campaign.pk, world.ward.pk]),
        {"action": "submit"},
    )
    url = campaign.get_absolute_url()
    page = client.get(url).content.decode()
    assert 'data-table="volunteers"' in page
    assert "data-history" in page
    assert _uncached_page(client, url) <= PAGE_QUERIES
    assert _cached_page(client, url) <= CACHED_PAGE_QUERIES
