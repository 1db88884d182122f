"""The dashboard's cached body: built once per version of the data, never shown to a narrower
scope than it was built for nor in another language, and rebuilt the moment anything it shows
changes (a visit, a household on the registry, a sign-off)."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns.signoff import signoff_submit
from tests.households.factories import household_in

from .factories import CURRENT_DAY, LEGACY_DAY, campaign_for, record

pytestmark = pytest.mark.django_db


def _stat(html: str, attribute: str) -> str:
    return re.search(rf'{attribute}="([^"]*)"', html).group(1)


def _achieved(html: str, key: str) -> str:
    return _stat(html, f'class="stat" data-indicator="{key}" data-achieved')


def test_a_body_built_for_a_wider_scope_is_never_shown_to_a_narrower_one(login, world):
    campaign = campaign_for(world.city)
    other = campaign_for(world.other_ward, name="Chiến dịch của phường bên cạnh")
    ward_page = reverse("campaigns:area", args=[campaign.pk, world.ward.pk])
    city_link = reverse("campaigns:area", args=[campaign.pk, world.city.pk])
    # The city's view of the ward, cached: the path up to the city, the other ward's campaign.
    city_view = login(world.users["city"]).get(ward_page).content.decode()
    assert f'href="{city_link}"' in city_view
    assert other.name in city_view
    # The same unit and data version for the ward's coordinator: neither is shown.
    ward_view = login(world.users["ward"]).get(ward_page).content.decode()
    assert f'data-area="{world.ward.pk}"' in ward_view
    assert f'href="{city_link}"' not in ward_view
    assert other.name not in ward_view
    # And the other way round: the ward's body is not the city's.
    assert f'href="{city_link}"' in login(world.users["city"]).get(ward_page).content.decode()


def test_a_cached_body_follows_the_language(login, world):
    campaign = campaign_for(world.city)
    record(world.groups[0], CURRENT_DAY, None, install_guidance=1234)
    client = login(world.users["city"])
    vietnamese = client.get(campaign.get_absolute_url()).content.decode()
    assert "Diễn biến theo ngày" in vietnamese
    assert "1.234" in vietnamese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(campaign.get_absolute_url()).content.decode()
    assert "Day by day" in english
    assert "Diễn biến theo ngày" not in english
    assert "1,234" in english


def test_a_new_visit_shows_at_once_on_a_cached_district_page(login, world):
    campaign = campaign_for(world.legacy_city)
    url = reverse("campaigns:area", args=[campaign.pk, world.legacy_district.pk])
    client = login(world.users["district"])
    record(world.legacy_groups[0], LEGACY_DAY, world.users["volunteer"], install_guidance=2)
    assert _achieved(client.get(url).content.decode(), "install_guidance") == "2"
    assert _achieved(client.get(url).content.decode(), "install_guidance") == "2"  # cached
    record(world.legacy_groups[1], LEGACY_DAY, world.users["volunteer"], install_guidance=5)
    page = client.get(url).content.decode()
    assert _achieved(page, "install_guidance") == "7"
    # The ward's row of the table of every indicator (fetched when its box is opened) says
    # the same as the headline: the sum of the records under it.
    table_url = reverse("campaigns:area-table", args=[campaign.pk, world.legacy_district.pk])
    table = client.get(table_url, headers={"HX-Request": "true"}).content.decode()
    ward_row = re.search(rf'data-row="{world.legacy_ward.name}".*?</tr>', table).group(0)
    assert 'data-indicator="install_guidance" data-achieved="7"' in ward_row


def test_a_household_added_moves_the_coverage_of_a_cached_district_page(login, world):
    """A district's page versions the registry under the whole campaign: still exact."""
    campaign = campaign_for(world.legacy_city)
    url = reverse("campaigns:area", args=[campaign.pk, world.legacy_district.pk])
    client = login(world.users["district"])
    before = int(_stat(client.get(url).content.decode(), "data-coverage-households"))
    household_in(world.legacy_groups[0])
    assert int(_stat(client.get(url).content.decode(), "data-coverage-households")) == before + 1


def test_a_sign_off_shows_at_once_in_the_box_and_the_rows_of_a_cached_page(login, world):
    campaign = campaign_for(world.legacy_city)
    url = reverse("campaigns:area", args=[campaign.pk, world.legacy_district.pk])
    client = login(world.users["district"])
    page = client.get(url).content.decode()
    assert f'data-waiting="{world.legacy_ward.name}"' not in page
    signoff_submit(user=world.users["ward"], area=world.legacy_ward, campaign=campaign)
    page = client.get(url).content.decode()
    assert f'data-waiting="{world.legacy_ward.name}"' in page
    assert 'data-signoff="submitted"' in page


def test_compiled_reads_kept_per_process_are_those_the_inputs_compile_to(world):
    """The dashboard keeps its reads compiled (not their data) by what they are built from: a
    different viewer, unit or period gets its own, equal to a fresh compile."""
    from campaigns.selectors.dashboard import _compile_reads, _reads

    campaign = campaign_for(world.city)
    cases = [
        (world.users["city"], world.city),
        (world.users["ward"], world.ward),
        (world.users["city"], world.ward),
        (world.users["admin"], world.ward),
    ]
    for user, area in cases * 2:  # the second round comes from the kept ones
        kept = _reads(user=user, campaign=campaign, area=area, crumbs=True)
        assert kept == _compile_reads(user=user, campaign=campaign, area=area, crumbs=True)
    before = _reads(user=world.users["city"], campaign=campaign, area=world.city, crumbs=True)
    campaign.end -= datetime.timedelta(days=1)
    campaign.save()
    after = _reads(user=world.users["city"], campaign=campaign, area=world.city, crumbs=True)
    assert after["days"] != before["days"]
    assert after == _compile_reads(
        user=world.users["city"], campaign=campaign, area=world.city, crumbs=True
    )


def test_each_viewer_sees_their_own_latest_reports_of_the_unit(login, world):
    from campaigns.models import ReportJob

    campaign = campaign_for(world.legacy_city)
    district = world.legacy_district
    url = reverse("campaigns:area", args=[campaign.pk, district.pk])
    mine = {}
    for key in ("city", "district"):
        for _ in range(2):
            job = ReportJob.objects.create(
                campaign=campaign, area=district, created_by=world.users[key]
            )
            mine.setdefault(key, []).append(reverse("campaigns:report", args=[job.pk]))
    for key, other in (("city", "district"), ("district", "city"), ("city", "district")):
        page = login(world.users[key]).get(url).content.decode()
        assert all(link in page for link in mine[key])
        assert not any(link in page for link in mine[other])
