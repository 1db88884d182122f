import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.activity import Indicator
from core.jobs.models import JobStatus
from trainings.models import SessionImport, SessionState, TrainingSession

from .conftest import totals

pytestmark = pytest.mark.django_db

HEADER = (
    "ngay,gio_bat_dau,gio_ket_thuc,ma_dia_ban,dia_diem,chu_de,doi_tuong,so_nguoi,"
    "sdt_nguoi_huong_dan\n"
)


def _upload(world, login, text: str, captured, name="lop.csv"):
    client = login(world.users["ward"])
    with captured(execute=True):
        response = client.post(
            reverse("trainings:import"),
            {"area": world.ward.pk, "file": SimpleUploadedFile(name, text.encode("utf-8"))},
        )
    assert response.status_code == 302
    return SessionImport.objects.get(), client


def test_a_clean_file_lands_whole_and_is_counted(
    world, login, django_capture_on_commit_callbacks, recorded
):
    group = world.groups[0].code
    text = HEADER + (
        f"18/03/2023,08:00,10:00,{group},Nhà văn hóa,internet; e-payment,"
        "Người cao tuổi,25,0900000006\n"
        f"19/03/2023,14:00,,{group},,Thanh toán điện tử,elderly,12,\n"
    )
    job, client = _upload(world, login, text, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.errors
    assert job.created_count == 2
    sessions = TrainingSession.objects.order_by("start")
    assert [s.state for s in sessions] == [SessionState.REPORTED] * 2
    assert list(sessions[0].trainers.all()) == [world.users["volunteer"]]
    assert sessions[0].audience == "elderly"
    assert totals(recorded, Indicator.TRAININGS_HELD) == 2
    assert totals(recorded, Indicator.TRAINING_ATTENDEES) == 37
    assert {delta.area_id for delta in recorded} == {world.legacy_groups[0].pk}
    assert {delta.day for delta in recorded} == {
        datetime.date(2023, 3, 18),
        datetime.date(2023, 3, 19),
    }
    page = client.get(reverse("trainings:import-detail", args=[job.pk]))
    assert "Đã ghi 2 lớp học." in page.content.decode()
    status = client.get(reverse("trainings:import-status", args=[job.pk])).json()
    assert status["finished"]
    assert status["created"] == 2


def test_a_file_with_bad_rows_writes_nothing_and_names_every_row_and_column(
    world, login, django_capture_on_commit_callbacks, recorded
):
    group = world.groups[0].code
    text = HEADER + (
        f"18/03/2023,08:00,10:00,{group},,internet,,10,\n"  # row 2: fine
        f"31/02/2023,08:00,,{group},,internet,,10,\n"  # row 3: no such date
        f"18/03/2023,08:00,,{world.other_groups[0].code},,nau-an,,-2,0999\n"  # row 4: four faults
        f"18/03/2099,08:00,,{group},,internet,,5,\n"  # row 5: in the future
    )
    job, client = _upload(world, login, text, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.INVALID
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {
        (3, "ngay"),
        (4, "ma_dia_ban"),
        (4, "chu_de"),
        (4, "so_nguoi"),
        (4, "sdt_nguoi_huong_dan"),
        (5, "ngay"),
    }
    assert not TrainingSession.objects.exists()
    assert recorded == []
    page = client.get(reverse("trainings:import-detail", args=[job.pk])).content.decode()
    assert "Số người tham dự không thể là số âm." in page
    assert "nau-an" in page


def test_a_file_missing_required_columns_is_refused(
    world, login, django_capture_on_commit_callbacks
):
    job, _ = _upload(
        world, login, "ngay,so_nguoi\n18/03/2023,5\n", django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.INVALID
    assert {error["column"] for error in job.errors} == {"gio_bat_dau", "ma_dia_ban", "chu_de"}


def test_an_unreadable_xlsx_is_refused_with_a_message(
    world, login, django_capture_on_commit_callbacks
):
    job, _ = _upload(world, login, "not a workbook", django_capture_on_commit_callbacks, "lop.xlsx")
    assert job.status == JobStatus.INVALID
    assert "Không đọc được tệp" in job.errors[0]["message"]


def test_export_of_sessions_can_be_imported_back_as_back_entry(
    world, login, django_capture_on_commit_callbacks
):
    from trainings.services import session_delete, session_report

    from .factories import planned

    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[1], topic_codes=("email", "internet"))
    session_report(user=volunteer, session=session, attendee_count=8)
    client = login(world.users["ward"])
    exported = client.get(reverse("trainings:list"), {"export": "xlsx"}).content
    session_delete(user=volunteer, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("trainings:import"),
            {"area": world.ward.pk, "file": SimpleUploadedFile("lai.xlsx", exported)},
        )
    job = SessionImport.objects.get()
    assert job.status == JobStatus.DONE, job.errors
    again = TrainingSession.objects.get()
    assert again.area == world.groups[1]
    assert again.attendee_count == 8
    assert {topic.code for topic in again.topics.all()} == {"email", "internet"}


def test_volunteer_cannot_import(world, login):
    assert login(world.users["volunteer"]).get(reverse("trainings:import")).status_code == 403
