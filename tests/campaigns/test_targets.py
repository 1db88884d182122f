"""Targets: the grid, the file import (whole or nothing) and the proportional split."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from areas.models import Area, Era, Level
from campaigns.models import Target
from campaigns.services import proportional_split, target_split, targets_import
from tests.files import MAX_PEAK_BYTES, MAX_SECONDS, bombs, cost
from volunteers.scoping import scope_for

from .factories import campaign_for, target

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_lands_every_row(world):
    campaign = campaign_for(world.city)
    rows = [
        ["mã", "tên", "households_visited", "Kích hoạt định danh điện tử mức 2"],
        [world.ward.code, world.ward.name, 120, 40],
        [world.other_ward.code, world.other_ward.name, "1.500", None],
    ]
    result = targets_import(
        campaign=campaign,
        scope=scope_for(user=world.users["city"]),
        name="t.xlsx",
        content=xlsx_bytes(rows),
    )
    assert result.ok, result.errors
    values = dict(
        Target.objects.filter(campaign=campaign)
        .values_list("area__code", "value")
        .filter(indicator="households_visited")
    )
    assert values == {world.ward.code: 120, world.other_ward.code: 1500}
    assert (
        Target.objects.get(campaign=campaign, area=world.ward, indicator="level2_activations").value
        == 40
    )


def test_import_with_bad_rows_reports_each_and_writes_nothing(world):
    campaign = campaign_for(world.city)
    legacy_only = world.legacy_district.code  # a district code: no current unit has it
    rows = [
        ["mã", "households_visited", "install_guidance"],
        [world.ward.code, 10, 20],  # good
        [world.other_ward.code, -5, 1],  # negative
        [world.groups[0].code, "mười", 3],  # non-numeric
        ["99999", 1, 1],  # unknown area
        [legacy_only, 1, 1],  # unknown in this era
    ]
    result = targets_import(
        campaign=campaign,
        scope=scope_for(user=world.users["city"]),
        name="t.csv",
        content=csv_bytes(rows),
    )
    assert not result.ok
    assert [error.row for error in result.errors] == [3, 4, 5, 6]
    assert "số âm" in result.errors[0].message
    assert "không phải số" in result.errors[1].message
    assert "99999" in result.errors[2].message
    assert not Target.objects.filter(campaign=campaign).exists()


def test_import_refuses_a_decimal_and_a_unit_given_twice(world):
    campaign = campaign_for(world.city)
    rows = [
        ["mã", "households_visited"],
        [world.ward.code, "12.5"],  # not 125
        [world.other_ward.code, "2,000"],  # thousands: fine
        [world.groups[0].code, "1.250.000"],
        [world.other_ward.code, "300"],  # the same unit again
    ]
    result = targets_import(
        campaign=campaign,
        scope=scope_for(user=world.users["city"]),
        name="t.csv",
        content=csv_bytes(rows),
    )
    assert [error.row for error in result.errors] == [2, 5]
    assert "không phải số nguyên" in result.errors[0].message
    assert "trùng với dòng 3" in result.errors[1].message
    assert not Target.objects.filter(campaign=campaign).exists()


def test_import_refuses_areas_outside_the_campaign_or_the_users_scope(world):
    campaign = campaign_for(world.city)
    rows = [["mã", "households_visited"], [world.other_ward.code, 5], [world.ward.code, 5]]
    result = targets_import(
        campaign=campaign,
        scope=scope_for(user=world.users["ward"]),
        name="t.csv",
        content=csv_bytes(rows),
    )
    assert [error.row for error in result.errors] == [2]
    assert "ngoài địa bàn bạn phụ trách" in result.errors[0].message
    ward_campaign = campaign_for(world.ward)
    result = targets_import(
        campaign=ward_campaign,
        scope=scope_for(user=world.users["city"]),
        name="t.csv",
        content=csv_bytes(rows),
    )
    assert "ngoài phạm vi chiến dịch" in result.errors[0].message
    assert not Target.objects.exists()


def test_import_view_shows_row_errors(login, world):
    campaign = campaign_for(world.city)
    upload = SimpleUploadedFile(
        "t.csv", csv_bytes([["mã", "households_visited"], [world.ward.code, "-1"]])
    )
    response = login(world.users["city"]).post(
        reverse("campaigns:targets-import", args=[campaign.pk]), {"file": upload}
    )
    assert response.status_code == 200
    assert "Dòng 2" in response.content.decode()
    assert not Target.objects.exists()


def test_grid_saves_targets_and_rejects_a_negative_cell_without_writing(login, world):
    campaign = campaign_for(world.city)
    url = reverse("campaigns:targets", args=[campaign.pk, world.ward.pk])
    client = login(world.users["ward"])
    group = world.groups[0]
    response = client.post(
        url,
        {f"t-{world.ward.pk}-households_visited": "60", f"t-{group.pk}-households_visited": "-1"},
    )
    assert response.status_code == 200
    assert not Target.objects.exists()
    response = client.post(
        url,
        {f"t-{world.ward.pk}-households_visited": "60", f"t-{group.pk}-households_visited": "10"},
    )
    assert response.status_code == 302
    assert Target.objects.get(area=group).value == 10


def test_proportional_split_sums_exactly_to_the_parent():
    assert proportional_split(100, {1: 1, 2: 1, 3: 1}) == {1: 34, 2: 33, 3: 33}
    assert proportional_split(10, {1: 300, 2: 100}) == {
        1: 8,
        2: 2,
    }  # 7.5 rounds toward the larger remainder
    assert proportional_split(7, {1: 0, 2: 0}) == {1: 4, 2: 3}  # no households known: even split
    assert sum(proportional_split(12345, {1: 7, 2: 13, 3: 29, 4: 1}).values()) == 12345


def test_split_follows_the_household_counts_of_the_children(world):
    campaign = campaign_for(world.city)
    target(campaign, world.ward, "households_visited", 600)
    groups = list(Area.objects.filter(path__startswith=world.ward.path, depth=world.ward.depth + 1))
    counts = {group.pk: 0 for group in groups}
    counts[groups[0].pk], counts[groups[1].pk] = 200, 100
    shares = target_split(
        campaign=campaign,
        scope=scope_for(user=world.users["city"]),
        parent=world.ward,
        counts=counts,
    )
    assert shares["households_visited"][groups[0].pk] == 400
    assert Target.objects.get(campaign=campaign, area=groups[1]).value == 200
    assert Target.objects.get(campaign=campaign, area=groups[2]).value == 0


def test_parent_without_own_target_sums_its_childrens(world):
    from campaigns.selectors import effective_targets

    campaign = campaign_for(world.legacy_city)
    district = world.legacy_district
    target(campaign, district, "dossiers_total", 100)
    target(campaign, world.legacy_ward, "dossiers_total", 30)  # below a district that has one
    other = (
        Area.objects.filter(era=Era.LEGACY, level=Level.DISTRICT).exclude(pk=district.pk).first()
    )
    target(campaign, other, "dossiers_total", 50)
    result = effective_targets(
        campaign=campaign, areas=[world.legacy_city, district, world.legacy_ward]
    )
    assert result[world.legacy_city.pk]["dossiers_total"] == 150
    assert result[district.pk]["dossiers_total"] == 100
    assert result[world.legacy_ward.pk]["dossiers_total"] == 30


def test_an_edited_target_shows_on_the_dashboard_at_once(login, world):
    """The dashboard is cached by its inputs' revision: a changed target is a new revision."""
    cache.clear()
    campaign = campaign_for(world.city)
    target(campaign, world.ward, "households_visited", 6000)
    client = login(world.users["ward"])
    dashboard = reverse("campaigns:area", args=[campaign.pk, world.ward.pk])
    assert "6.000" in client.get(dashboard).content.decode()
    grid = reverse("campaigns:targets", args=[campaign.pk, world.ward.pk])
    assert client.post(grid, {f"t-{world.ward.pk}-households_visited": "7777"}).status_code == 302
    page = client.get(dashboard).content.decode()
    assert "7.777" in page
    assert "6.000" not in page


BOMBS = bombs(("mã", "households_visited"))


@pytest.mark.parametrize(("make", "message"), [b[1:] for b in BOMBS], ids=[b[0] for b in BOMBS])
def test_import_view_refuses_a_bomb_quickly_and_without_inflating_it(login, world, make, message):
    campaign = campaign_for(world.city)
    content = make()
    client = login(world.users["city"])
    url = reverse("campaigns:targets-import", args=[campaign.pk])
    assert client.get(url).status_code == 200  # the page's first render is not the refusal's
    with cost() as spent:
        response = client.post(url, {"file": SimpleUploadedFile("chi-tieu.xlsx", content)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không đọc được tệp" in page
    assert message in page
    assert spent.seconds < MAX_SECONDS, spent
    assert spent.peak_bytes < MAX_PEAK_BYTES, spent
    assert not Target.objects.exists()
