"""“Import the valid rows” next to “fix the file”, for every kind: the bad rows are left out
and downloadable as the same sheet plus an error column; nothing bad is written."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from areas.models import Area
from households.models import Household
from volunteers.models import User
from workspace.imports.jobs import import_job_confirm_valid, import_job_create
from workspace.models import JobStatus

from . import files

pytestmark = pytest.mark.django_db


def create(world, content: bytes, kind: str, name: str = "ds.xlsx", **options):
    return import_job_create(
        kind=kind,
        ward=world.ward,
        user=world.users["ward"],
        filename=name,
        content=content,
        options=options,
    )


def bad_households(world) -> bytes:
    rows = files.household_rows(5)
    rows[1][6] = "không có"  # a phone that is not one, row 3
    rows[3][5] = "Tổ dân phố 99"  # unknown group, row 5
    return files.xlsx([files.HOUSEHOLD_HEADERS, *rows])


def test_households_the_valid_rows_land_and_the_bad_ones_are_left_out(
    world, client, django_capture_on_commit_callbacks
):
    job = create(world, bad_households(world), "households", consent_all=True)
    assert job.status == JobStatus.INVALID
    assert job.result["valid"] == 3
    client.force_login(world.users["ward"])
    page = client.get(reverse("workspace:import-detail", args=[job.pk])).content.decode()
    assert "Nhập các dòng hợp lệ" in page
    assert "Sửa tệp" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:import-confirm", args=[job.pk]), {"valid_only": "1"}
        )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["left_out_rows"] == 2
    assert Household.objects.filter(area__path__startswith=world.ward.path).count() == 3
    assert not Household.objects.filter(house_number__in=["2", "4"]).exists()
    assert job.errors  # still listed, to fix later
    # Once done, it cannot be run again.
    assert not import_job_confirm_valid(job=job)


def test_the_error_sheet_is_the_same_sheet_with_only_the_bad_rows_and_an_error_column(
    world, client
):
    job = create(world, bad_households(world), "households")
    client.force_login(world.users["ward"])
    response = client.get(reverse("workspace:import-errors", args=[job.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Họ tên chủ hộ", "Số nhà", "Ngõ/ngách")
    assert rows[0][-1] == "Lỗi"
    assert [row[1] for row in rows[1:]] == ["2", "4"]
    assert "Số điện thoại" in rows[1][-1]
    assert "Tổ dân phố 99" in rows[2][-1]


def test_a_csv_upload_gets_its_errors_as_csv_and_the_volunteers_valid_rows_land(
    world, client, django_capture_on_commit_callbacks
):
    content = files.csv_bytes(
        [
            ["Họ và tên", "Số điện thoại"],
            ["Nguyễn Văn Hợp Lệ", "0987111601"],
            ["Trần Văn Sai", "=cmd|' /C calc'!A0"],
            ["Lê Thị Đúng", "0987111602"],
        ]
    )
    job = create(world, content, "volunteers", name="tnv.csv")
    assert job.status == JobStatus.INVALID
    client.force_login(world.users["ward"])
    response = client.get(reverse("workspace:import-errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Họ và tên", "Số điện thoại", "Lỗi"]
    assert rows[1][0] == "Trần Văn Sai"
    assert rows[1][1].startswith("'=")  # neutralised by the one writer
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm_valid(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert User.objects.filter(phone__in=["+84987111601", "+84987111602"]).count() == 2


def test_groups_valid_rows_and_an_all_bad_file_offers_no_valid_rows(
    world, client, django_capture_on_commit_callbacks
):
    long_name = "Tổ " + "x" * 210
    job = create(
        world, files.xlsx([["Tên tổ dân phố/thôn"], ["Tổ dân phố 31"], [long_name]]), "groups"
    )
    assert job.status == JobStatus.INVALID
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm_valid(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert Area.objects.filter(name="Tổ dân phố 31").exists()
    all_bad = create(world, files.xlsx([["Tên tổ dân phố/thôn"], [long_name]]), "groups")
    assert not import_job_confirm_valid(job=all_bad)
    client.force_login(world.users["ward"])
    page = client.get(reverse("workspace:import-detail", args=[all_bad.pk])).content.decode()
    assert "Nhập các dòng hợp lệ" not in page


def test_another_wards_coordinator_cannot_take_the_valid_rows_or_the_errors(world, client):
    job = create(world, bad_households(world), "households")
    client.force_login(world.users["other_ward"])
    assert client.get(reverse("workspace:import-errors", args=[job.pk])).status_code == 404
    response = client.post(reverse("workspace:import-confirm", args=[job.pk]), {"valid_only": "1"})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.INVALID
