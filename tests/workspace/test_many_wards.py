"""One file for many wards: a district imports households, groups, volunteers and visits for
all its wards with a "Phường/xã" column; a ward outside its authority is named and refused."""

import pytest
from django.urls import reverse

from areas.models import Area
from households.models import Household
from tests.factories import member
from volunteers.models import Role
from workspace.imports.jobs import import_job_confirm, import_job_create
from workspace.models import JobStatus

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user(world):
    """A city union member of today's Hanoi (both demo wards lie below)."""
    return member(world.city, Role.CITY_UNION, full_name="Cán bộ Thành đoàn")


def create(area, user, rows, kind="households", **options):
    return import_job_create(
        kind=kind,
        ward=area,
        user=user,
        filename="ds.xlsx",
        content=files.xlsx(rows),
        options=options,
    )


def run(job, capture):
    with capture(execute=True):
        assert import_job_confirm(job=job)
    job.refresh_from_db()
    return job


def test_a_city_imports_households_of_two_wards_from_one_file(
    world, city_user, django_capture_on_commit_callbacks
):
    headers = ["Phường/xã", *files.HOUSEHOLD_HEADERS]
    rows = [
        [world.ward.code, *files.household_rows(2, group=world.groups[0].name)[0]],
        [world.other_ward.name, *files.household_rows(2, group=world.other_groups[0].name)[1]],
    ]
    job = create(world.city, city_user, [headers, *rows], consent_all=True)
    assert job.status == JobStatus.PREVIEW, job.errors
    job = run(job, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert Household.objects.filter(area__path__startswith=world.ward.path).count() == 1
    assert Household.objects.filter(area__path__startswith=world.other_ward.path).count() == 1
    # Again: the same rows are found in their wards, nothing doubles.
    again = create(world.city, city_user, [headers, *rows], consent_all=True)
    assert again.result["existing"] == 2


def test_a_ward_outside_the_users_authority_or_unknown_is_named_by_row(world):
    district = world.users["district"]  # holds the legacy district only
    headers = ["Phường/xã", *files.HOUSEHOLD_HEADERS]
    elsewhere = (
        Area.objects.filter(era=world.legacy_ward.era, level=world.legacy_ward.level)
        .exclude(path__startswith=world.legacy_district.path)
        .first()
    )
    rows = [
        [elsewhere.code, *files.household_rows(1)[0]],
        ["Phường Không Có", *files.household_rows(1)[0]],
    ]
    job = create(world.legacy_district, district, [headers, *rows])
    assert job.status == JobStatus.INVALID
    assert {(error["row"], error["column"]) for error in job.errors} == {
        (2, "Phường/xã"),
        (3, "Phường/xã"),
    }


def test_groups_for_many_wards_and_a_file_without_the_ward_column_is_refused(
    world, city_user, django_capture_on_commit_callbacks
):
    rows = [
        ["Phường/xã", "Tên tổ dân phố/thôn"],
        [world.ward.code, "Tổ dân phố 41"],
        [world.other_ward.code, "Tổ dân phố 42"],
    ]
    job = run(
        create(world.city, city_user, rows, kind="groups"), django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.DONE, job.error
    assert Area.objects.get_parent(Area.objects.get(name="Tổ dân phố 41")) == world.ward
    from core.spreadsheets.reader import FileRefused

    with pytest.raises(FileRefused) as refused:
        create(world.city, city_user, [["Tên tổ dân phố/thôn"], ["Tổ 9"]], kind="groups")
    assert "Phường/xã" in refused.value.message


def test_the_import_page_at_the_city_lists_the_ward_column(world, city_user, client):
    client.force_login(city_user)
    page = client.get(reverse("workspace:import-start", args=[world.city.pk, "volunteers"]))
    assert page.status_code == 200
    assert "Phường/xã" in page.content.decode()
    client.force_login(world.users["ward"])
    assert (
        client.get(
            reverse("workspace:import-start", args=[world.city.pk, "volunteers"])
        ).status_code
        == 404
    )


def test_volunteers_of_two_wards_from_one_city_file(
    world, city_user, django_capture_on_commit_callbacks
):
    from volunteers.models import Membership

    rows = [
        ["Phường/xã", "Họ và tên", "Số điện thoại"],
        [world.ward.code, "Nguyễn Văn Một", "0987111701"],
        [world.other_ward.code, "Trần Thị Hai", "0987111702"],
    ]
    job = run(
        create(world.city, city_user, rows, kind="volunteers"), django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.DONE, job.error
    one = Membership.objects.get(user__phone="+84987111701")
    two = Membership.objects.get(user__phone="+84987111702")
    assert one.area.path.startswith(world.ward.path)
    assert two.area.path.startswith(world.other_ward.path)


def test_visits_of_two_wards_from_one_city_file(
    world, city_user, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from households.models import Visit
    from tests.households.factories import household_in

    there = member(world.other_groups[0], Role.VOLUNTEER, phone="+84987111703")
    here = household_in(world.groups[0], house_number="1", street="Phố Định Công")
    away = household_in(world.other_groups[0], house_number="7", street="Phố Hoàng Liệt")
    day = (timezone.localdate() - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    headers = ["Phường/xã", "Ngày", "Tình nguyện viên", "Tổ dân phố", "Địa chỉ hộ", "Kết quả"]
    rows = [
        [world.ward.code, day, "0900000006", world.groups[0].name, "1, Phố Định Công", "Đã hỗ trợ"],
        [
            world.other_ward.name,
            day,
            "0987111703",
            world.other_groups[0].name,
            "7, Phố Hoàng Liệt",
            "Đã hỗ trợ",
        ],
    ]
    job = create(world.city, city_user, [headers, *rows], kind="visits")
    assert job.status == JobStatus.PREVIEW, job.errors
    job = run(job, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    assert Visit.objects.get(household=here).volunteer == world.users["volunteer"]
    assert Visit.objects.get(household=away).volunteer == there
    # The same file again lands nothing twice.
    again = create(world.city, city_user, [headers, *rows], kind="visits")
    assert again.result["existing"] == 2
