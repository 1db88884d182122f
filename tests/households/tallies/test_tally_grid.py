"""The tally grid: one unit, one month; visits already there shown and confirmed; saving
replaces; bad cells named and nothing written; only coordinators of the unit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AreaDayTally
from households.tallies.models import Tally
from tests.households.factories import household_in, raw_visit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 3, 12)


def grid_url(area, unit=None, month="2023-03") -> str:
    url = reverse("workspace:tally-grid", args=[area.pk]) + f"?month={month}"
    return url + (f"&unit={unit.pk}" if unit else "")


def test_the_grid_saves_a_day_and_saving_again_replaces_it(world, client):
    client.force_login(world.users["ward"])
    url = grid_url(world.legacy_ward)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="2023-03-31-install_guidance"' in page.content.decode()
    response = client.post(
        url, {"2023-03-12-install_guidance": "14", "2023-03-12-volunteer_days": "3"}
    )
    assert response.status_code == 302
    tally = Tally.objects.get(area=world.legacy_ward, day=DAY)
    assert (tally.install_guidance, tally.volunteer_days) == (14, 3)
    assert tally.entered_by == world.users["ward"]
    client.post(url, {"2023-03-12-install_guidance": "9", "2023-03-12-volunteer_days": "3"})
    city = AreaDayTally.objects.get(area=world.legacy_city, day=DAY)
    assert city.install_guidance == 9
    assert Tally.objects.count() == 1
    # Emptied, the day's tally is gone and so are its counts.
    client.post(url, {"2023-03-12-install_guidance": "", "2023-03-12-volunteer_days": ""})
    assert not Tally.objects.exists()
    city.refresh_from_db()
    assert city.install_guidance == 0


def test_a_bad_cell_is_named_and_nothing_is_saved(world, client):
    client.force_login(world.users["ward"])
    response = client.post(
        grid_url(world.legacy_ward),
        {"2023-03-11-install_guidance": "5", "2023-03-12-level1_activations": "-2"},
    )
    assert response.status_code == 400
    assert "Không nhận số âm" in response.content.decode()
    assert not Tally.objects.exists()
    response = client.post(grid_url(world.legacy_ward), {"2023-03-12-level1_activations": "ba"})
    assert response.status_code == 400
    assert "Phải là số nguyên" in response.content.decode()


def test_visits_of_the_day_are_shown_and_must_be_confirmed(world, client):
    today = timezone.localdate()
    raw_visit(household_in(world.groups[0]), world.users["volunteer"])
    client.force_login(world.users["ward"])
    url = grid_url(world.ward, month=today.strftime("%Y-%m"))
    page = client.get(url).content.decode()
    assert f'name="{today.isoformat()}-visits_confirmed"' in page
    response = client.post(url, {f"{today.isoformat()}-install_guidance": "2"})
    assert response.status_code == 400
    assert "1 lượt thăm" in response.content.decode()
    assert not Tally.objects.exists()
    response = client.post(
        url,
        {
            f"{today.isoformat()}-install_guidance": "2",
            f"{today.isoformat()}-visits_confirmed": "1",
        },
    )
    assert response.status_code == 302
    assert Tally.objects.get().visits_acknowledged == 1


def test_the_city_enters_a_ward_of_its_own_and_a_ward_coordinator_not_another_ward(world, client):
    client.force_login(world.users["city"])
    response = client.get(grid_url(world.legacy_city, unit=world.legacy_district))
    assert response.status_code == 200
    client.force_login(world.users["ward"])
    assert client.get(grid_url(world.other_ward)).status_code == 404
    assert client.get(grid_url(world.legacy_city)).status_code == 404
    assert (
        client.post(grid_url(world.other_ward), {"2023-03-12-install_guidance": "1"}).status_code
        == 404
    )
    client.force_login(world.users["volunteer"])
    assert client.get(grid_url(world.legacy_ward)).status_code == 403
    assert not Tally.objects.exists()


def test_the_workspace_lists_the_legacy_wards_a_past_campaign_needs(world, client):
    client.force_login(world.users["district"])
    page = client.get(reverse("workspace:index")).content.decode()
    assert 'id="legacy-wards"' in page
    assert world.legacy_ward.name in page
    assert reverse("workspace:tally-grid", args=[world.legacy_ward.pk]) in page
