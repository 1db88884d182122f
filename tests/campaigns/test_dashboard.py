"""The dashboard: totals against targets, drill-down, ranking, scope, eras, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area, AreaSuccession, Era, Level
from campaigns.selectors import campaign_dashboard, coordination_scope, legacy_on_current

from .factories import CURRENT_DAY, LEGACY_DAY, campaign_for, record, target

pytestmark = pytest.mark.django_db


def achieved(response, key: str) -> list[str]:
    """The data-achieved values of the headline stat for `key`."""
    html = response.content.decode()
    marker = f'class="stat" data-indicator="{key}" data-achieved="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_campaign_with_no_records_shows_zeros_against_its_targets(login, world):
    campaign = campaign_for(world.city)
    target(campaign, world.city, "install_guidance", 500)
    response = login(world.users["city"]).get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert achieved(response, "install_guidance") == "0"
    assert "chỉ tiêu 500 · đạt 0,0%" in response.content.decode()


def test_city_sees_live_totals_and_percent_of_target(login, world):
    campaign = campaign_for(world.city)
    target(campaign, world.city, "install_guidance", 10)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], install_guidance=3)
    record(world.other_groups[0], CURRENT_DAY, world.users["volunteer2"], install_guidance=2)
    # Outside the period: not counted.
    record(world.groups[0], campaign.end + datetime.timedelta(days=1), None, install_guidance=7)
    response = login(world.users["city"]).get(campaign.get_absolute_url())
    assert achieved(response, "install_guidance") == "5"
    assert "đạt 50,0%" in response.content.decode()
    assert achieved(response, "volunteer_participations") == "2"


def test_ward_row_links_to_its_drill_down_with_groups_teams_and_volunteers(login, world):
    campaign = campaign_for(world.city)
    volunteer = world.users["volunteer"]
    record(world.groups[0], CURRENT_DAY, volunteer, households_visited=4)
    client = login(world.users["city"])
    city_page = client.get(campaign.get_absolute_url()).content.decode()
    ward_url = reverse("campaigns:area", args=[campaign.pk, world.ward.pk])
    assert ward_url in city_page
    ward_page = client.get(ward_url).content.decode()
    table_url = reverse("campaigns:area-table", args=[campaign.pk, world.ward.pk])
    assert f'data-table-src="{table_url}"' in ward_page  # the table of every indicator, folded
    table = client.get(table_url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-table="children"' in table
    assert world.groups[0].name in table
    assert world.groups[0].name in ward_page
    assert 'data-table="teams"' in ward_page
    assert world.teams[0].name in ward_page
    assert 'data-table="volunteers"' in ward_page
    assert volunteer.full_name in ward_page


def test_ranking_orders_units_by_percent_of_target_with_colours(world):
    campaign = campaign_for(world.city)
    target(campaign, world.ward, "households_visited", 10)
    target(campaign, world.other_ward, "households_visited", 10)
    record(world.groups[0], CURRENT_DAY, None, households_visited=2)
    record(world.other_groups[0], CURRENT_DAY, None, households_visited=9)
    campaign.end = CURRENT_DAY  # over: everything is judged against 100 %
    context = campaign_dashboard(user=world.users["city"], campaign=campaign, area=world.city)
    ranked = [row for row in context["ranking"] if row.score is not None]
    assert [row.name for row in ranked[:2]] == [world.other_ward.name, world.ward.name]
    assert [row.tone for row in ranked[:2]] == ["warn", "bad"]


def test_overlapping_campaigns_both_count_the_same_visit_and_say_so(login, world):
    city = campaign_for(world.city, name="Chiến dịch thành phố")
    ward = campaign_for(world.ward, name="Chiến dịch phường")
    record(world.groups[0], CURRENT_DAY, None, dossiers_total=1)
    client = login(world.users["city"])
    for campaign, other in ((city, ward), (ward, city)):
        response = client.get(campaign.get_absolute_url())
        assert achieved(response, "dossiers_total") == "1"
        assert "data-overlap" in response.content.decode()
        assert other.name in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_the_number_of_areas(
    world, django_assert_max_num_queries
):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=1)
    user = world.users["city"]
    coordination_scope(user)  # the user's roles and scope: read once per request, with the user
    counts = {}
    for area in (world.city, world.ward):  # 126 communes vs 6 groups (+ teams, volunteers)
        with CaptureQueriesContext(connection) as queries:
            campaign_dashboard(user=user, campaign=campaign, area=area)
        counts[area.name] = len(queries)
    assert Area.objects.filter(path__startswith=world.city.path, depth=2).count() > 100
    assert counts[world.city.name] <= counts[world.ward.name]
    with django_assert_max_num_queries(3):
        campaign_dashboard(user=user, campaign=campaign, area=world.city)


def test_legacy_campaign_rolls_up_through_districts(login, world):
    campaign = campaign_for(world.legacy_city, name="Tháng Thanh niên 2023")
    assert campaign.era == Era.LEGACY
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], level2_activations=6)
    client = login(world.users["city"])
    city = client.get(campaign.get_absolute_url())
    assert achieved(city, "level2_activations") == "6"
    assert (
        reverse("campaigns:area", args=[campaign.pk, world.legacy_district.pk])
        in city.content.decode()
    )
    district = client.get(reverse("campaigns:area", args=[campaign.pk, world.legacy_district.pk]))
    assert achieved(district, "level2_activations") == "6"
    assert world.legacy_ward.name in district.content.decode()


def test_a_legacy_campaign_cannot_run_past_the_reform(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        campaign_for(
            world.legacy_city, start=datetime.date(2025, 6, 1), end=datetime.date(2025, 7, 31)
        )


def test_old_campaign_on_todays_boundaries_marks_split_wards_approximate(world):
    campaign = campaign_for(world.legacy_city)
    record(world.legacy_groups[0], LEGACY_DAY, None, households_visited=5)
    rows = legacy_on_current(campaign=campaign, area=world.legacy_city)
    assert sum(row.value("households_visited") for row in rows) == 5
    successor = (
        AreaSuccession.objects.filter(predecessor=world.legacy_ward)
        .order_by("is_partial", "successor__path")
        .first()
        .successor
    )
    row = next(row for row in rows if row.name == successor.name)
    assert row.value("households_visited") == 5
    split = AreaSuccession.objects.filter(is_partial=True, predecessor__level=Level.WARD).first()
    record(split.predecessor, LEGACY_DAY, None, households_visited=2)
    heir = (
        AreaSuccession.objects.filter(predecessor=split.predecessor)
        .order_by("successor__path")
        .first()
        .successor
    )
    rows = legacy_on_current(campaign=campaign, area=world.legacy_city)
    heir_row = next(row for row in rows if row.name == heir.name)
    assert heir_row.approximate
    assert sum(row.value("households_visited") for row in rows) == 7


def test_district_union_sees_only_its_wards(login, world):
    campaign = campaign_for(world.legacy_city)
    client = login(world.users["district"])
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-area="{world.legacy_district.pk}"' in html
    other_district = (
        Area.objects.filter(era=Era.LEGACY, level=Level.DISTRICT)
        .exclude(pk=world.legacy_district.pk)
        .first()
    )
    assert (
        client.get(reverse("campaigns:area", args=[campaign.pk, other_district.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("campaigns:area", args=[campaign.pk, world.legacy_city.pk])).status_code
        == 404
    )


def test_ward_coordinator_sees_only_its_ward_of_a_city_campaign(login, world):
    campaign = campaign_for(world.city)
    client = login(world.users["ward"])
    response = client.get(campaign.get_absolute_url())
    assert f'data-area="{world.ward.pk}"' in response.content.decode()
    assert (
        client.get(reverse("campaigns:area", args=[campaign.pk, world.other_ward.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("campaigns:area", args=[campaign.pk, world.city.pk])).status_code == 404
    )
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 404


def test_campaign_of_another_ward_is_invisible(login, world):
    campaign = campaign_for(world.other_ward)
    client = login(world.users["ward"])
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert campaign.name not in client.get(reverse("campaigns:list")).content.decode()


def test_field_roles_are_refused(login, world):
    campaign = campaign_for(world.ward)
    for key in ("volunteer", "leader"):
        assert login(world.users[key]).get(campaign.get_absolute_url()).status_code == 403


def test_city_creates_a_campaign_with_era_from_its_scope(login, world):
    response = login(world.users["city"]).post(
        reverse("campaigns:create"),
        {
            "name": "Cao điểm 90 ngày",
            "theme": "Đến từng nhà",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "scope": world.city.pk,
            "indicators": ["households_visited", "volunteer_participations"],
            "status": "active",
        },
    )
    assert response.status_code == 302
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(name="Cao điểm 90 ngày")
    assert campaign.era == Era.CURRENT
    assert campaign.created_by == world.users["city"]


def test_ward_coordinator_cannot_create_a_campaign_over_the_city(login, world):
    response = login(world.users["ward"]).post(
        reverse("campaigns:create"),
        {
            "name": "X",
            "start": "2026-01-01",
            "end": "2026-01-31",
            "scope": world.city.pk,
            "indicators": ["households_visited"],
            "status": "draft",
        },
    )
    assert response.status_code == 200  # the form refuses: the city is not a choice
    assert "scope" in response.context["form"].errors


def test_home_shows_active_campaigns_with_headline_percent(login, world):
    campaign = campaign_for(world.city)
    target(campaign, world.city, "households_visited", 4)
    record(world.groups[0], CURRENT_DAY, None, households_visited=1)
    html = login(world.users["city"]).get(reverse("home")).content.decode()
    assert campaign.name in html
    assert "25,0% chỉ tiêu" in html


def test_cached_dashboard_moves_as_soon_as_a_record_lands(login, world):
    campaign = campaign_for(world.city)
    client = login(world.users["city"])
    record(world.groups[0], CURRENT_DAY, None, install_guidance=1)
    assert achieved(client.get(campaign.get_absolute_url()), "install_guidance") == "1"
    assert achieved(client.get(campaign.get_absolute_url()), "install_guidance") == "1"
    record(world.groups[1], CURRENT_DAY, None, install_guidance=2)
    assert achieved(client.get(campaign.get_absolute_url()), "install_guidance") == "3"
    target(campaign, world.city, "install_guidance", 6)
    assert "đạt 50,0%" in client.get(campaign.get_absolute_url()).content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_table_numbers_read_as_intcomma_would_in_each_language(language):
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    from campaigns.selectors import Cell, group_digits

    with translation.override(language):
        for value in (0, 7, 999, 1000, 64992, 1234567, -25465):
            assert group_digits(value) == intcomma(value)
        html = Cell("dossiers_total", "", 29619, 40000, 74.0).td()
        assert f"> / {intcomma(40000)}</span>" in html
        assert 'data-achieved="29619"' in html
        assert f"{intcomma(29619)}<span" in html


def test_what_is_filed_on_the_ward_itself_is_shown_so_rows_add_up_to_the_headline(login, world):
    """A ward-level training counts in the ward but in none of its groups."""
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, world.users["volunteer"], households_visited=3)
    record(world.ward, CURRENT_DAY, world.users["volunteer"], trainings_held=1)
    context = campaign_dashboard(user=world.users["ward"], campaign=campaign, area=world.ward)
    headline = {cell.key: cell.achieved for cell in context["headline"]}
    own = {cell.key: cell.achieved for cell in context["own_level_cells"]}
    for key in ("households_visited", "trainings_held"):
        rows = sum(row.value(key) for row in context["rows"])
        assert rows + own.get(key, 0) == headline[key]
    assert own == {"trainings_held": 1}
    page = login(world.users["ward"]).get(
        reverse("campaigns:area", args=[campaign.pk, world.ward.pk])
    )
    assert "Ghi nhận trực tiếp ở" in page.content.decode()
