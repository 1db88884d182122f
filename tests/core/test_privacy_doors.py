"""The one privacy guard through every door: a form post, a sync item, an import file row, the
admin and the services that skip full_clean(). An ID number, a code or a password in any typed
field is refused with the guard's message, and nothing is saved."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from households.models import Household
from trainings.models import Attendee, SessionImport, TrainingSession
from trainings.services import AttendeeInput, session_report
from volunteers.assignments import team_create
from volunteers.models import Team, User
from workspace.imports.jobs import import_job_create
from workspace.models import JobStatus

from ..households.factories import household_in
from ..trainings.factories import topics
from ..workspace import files

pytestmark = pytest.mark.django_db

CCCD = "001 093 001 234"
ID_WORDS = "số định danh"  # in the guard's message for an ID number


def _sync(client, url: str, items: list) -> list:
    response = client.post(url, json.dumps({"items": items}), content_type="application/json")
    return response.json()["results"]


def test_household_form_refuses_an_id_number_in_the_contact_name(world, login):
    client = login(world.users["volunteer"])
    form = {
        "area": world.groups[1].pk,
        "house_number": "5",
        "alley": "Ngõ 12",
        "members": 3,
        "contact_name": f"Bà Lan {CCCD}",
        "contact_phone": "0912345678",
        "consent": "on",
    }
    response = client.post(reverse("households:create"), form)
    assert response.status_code == 200
    assert ID_WORDS in response.content.decode()
    assert not Household.objects.exists()


@pytest.mark.parametrize("field", ["house_number", "alley", "street", "apartment"])
def test_household_sync_refuses_an_id_number_in_any_address_field(world, login, field):
    client = login(world.users["volunteer"])
    data = {"area": world.groups[1].pk, "house_number": "7", "street": "Kim Giang"}
    data[field] = f"CCCD {CCCD}"
    item = {"type": "household", "id": str(uuid.uuid4()), "data": data}
    (result,) = _sync(client, reverse("households:sync"), [item])
    assert result["status"] == "invalid"
    assert ID_WORDS in json.dumps(result["errors"], ensure_ascii=False)
    assert not Household.objects.exists()


def test_household_edit_refuses_a_password_in_the_notes(world, login):
    household = household_in(world.groups[0], street="Kim Giang")
    client = login(world.users["volunteer"])
    url = reverse("households:edit", args=[household.pk])
    form = {"house_number": "1", "street": "Kim Giang", "members": 2, "notes": "mk: Lan@1958"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "mật khẩu" in response.content.decode()
    household.refresh_from_db()
    assert household.notes == ""


def _plan(world, **data) -> dict:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return {
        "type": "training_plan",
        "id": str(uuid.uuid4()),
        "data": {
            "topics": [topics("email")[0].pk],
            "day": yesterday.isoformat(),
            "start_time": "08:00",
            "end_time": "10:00",
            "area": world.groups[0].pk,
            "audience": "residents",
            **data,
        },
    }


@pytest.mark.parametrize(
    "data",
    [
        {"title": f"Lớp CCCD {CCCD}"},
        {"address": "Nhà văn hóa, OTP 482913"},
        {"notes": "pw: x1y2z3"},
    ],
)
def test_session_plan_sync_refuses_an_id_code_or_password(world, login, data):
    client = login(world.users["volunteer"])
    (result,) = _sync(client, reverse("trainings:sync"), [_plan(world, **data)])
    assert result["status"] == "invalid"
    assert "Không" in json.dumps(result["errors"], ensure_ascii=False)
    assert not TrainingSession.objects.exists()


def test_session_report_sync_refuses_an_id_number_in_the_attendee_list(world, login):
    client = login(world.users["volunteer"])
    plan = _plan(world)
    report = {
        "type": "training_report",
        "id": str(uuid.uuid4()),
        "data": {
            "session_uuid": plan["id"],
            "attendee_count": "2",
            "attendees": "Nguyễn Văn An, 0912345678\nTrần Thị Bình 001093001234",
            "attendees_consent": True,
        },
    }
    results = {r["type"]: r for r in _sync(client, reverse("trainings:sync"), [plan, report])}
    assert results["training_plan"]["status"] == "created"
    assert results["training_report"]["status"] == "invalid"
    assert ID_WORDS in json.dumps(results["training_report"]["errors"], ensure_ascii=False)
    assert not Attendee.objects.exists()
    assert TrainingSession.objects.get().attendee_count == 0


def test_session_report_service_refuses_an_attendee_name_with_an_id(world):
    session = _held_session(world)
    with pytest.raises(ValidationError) as error:
        session_report(
            user=world.users["volunteer"],
            session=session,
            attendee_count=1,
            attendees=[AttendeeInput(name=f"Lê Văn C {CCCD}")],
            attendees_consent=True,
        )
    assert "attendees" in error.value.message_dict
    assert not Attendee.objects.exists()


def _held_session(world) -> TrainingSession:
    start = timezone.now() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        area=world.groups[0],
        start=start,
        end=start + datetime.timedelta(hours=2),
        created_by=world.users["volunteer"],
    )
    return session


def test_household_import_row_with_an_id_number_is_named_and_nothing_is_written(world):
    rows = files.household_rows(3)
    rows[1][1] = f"Nguyễn Văn Hai CCCD {CCCD}"  # the contact name, row 3
    rows[2][2] = "12 mật khẩu: Abc@123"  # the house number, row 4
    job = import_job_create(
        kind="households",
        ward=world.ward,
        user=world.users["ward"],
        filename="ho.xlsx",
        content=files.xlsx([files.HOUSEHOLD_HEADERS, *rows]),
        options={"consent_all": True},
    )
    assert job.status == JobStatus.INVALID
    found = {(error["row"], error["column"]) for error in job.errors}
    assert found == {(3, "Họ tên chủ hộ"), (4, "Số nhà")}
    assert ID_WORDS in job.errors[0]["message"] or ID_WORDS in job.errors[1]["message"]
    assert not Household.objects.exists()


def test_volunteer_import_refuses_an_id_number_in_a_name(world):
    rows = [["Họ và tên", "Số điện thoại"], [f"Ngô Thị Hạnh {CCCD}", "0987111222"]]
    job = import_job_create(
        kind="volunteers",
        ward=world.ward,
        user=world.users["ward"],
        filename="tnv.xlsx",
        content=files.xlsx(rows),
        options={},
    )
    assert job.status == JobStatus.INVALID
    assert job.errors[0]["column"] == "Họ và tên"
    assert not User.objects.filter(phone="+84987111222").exists()


def test_session_import_refuses_an_id_number_in_the_place(
    world, login, django_capture_on_commit_callbacks
):
    text = (
        "ngay,gio_bat_dau,gio_ket_thuc,ma_dia_ban,dia_diem,chu_de,doi_tuong,so_nguoi\n"
        f"18/03/2023,08:00,10:00,{world.groups[0].code},Nhà ông A CCCD {CCCD},internet,"
        "Người cao tuổi,25\n"
    )
    client = login(world.users["ward"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("trainings:import"),
            {"area": world.ward.pk, "file": SimpleUploadedFile("lop.csv", text.encode())},
        )
    job = SessionImport.objects.get()
    assert [error["column"] for error in job.errors] == ["dia_diem"]
    assert ID_WORDS in job.errors[0]["message"]
    assert not TrainingSession.objects.exists()


def test_team_page_refuses_an_id_number_in_the_team_name(world, login):
    client = login(world.users["ward"])
    url = reverse("workspace:team-create", args=[world.ward.pk])
    response = client.post(url, {"name": f"Tổ CNS {CCCD}", "residential_group": world.groups[4].pk})
    assert response.status_code == 200
    assert ID_WORDS in response.content.decode()
    assert not Team.objects.filter(name__contains="234").exists()


def test_team_service_refuses_a_code(world):
    with pytest.raises(ValidationError):
        team_create(ward=world.ward, name="Tổ OTP 482913")
    assert not Team.objects.filter(name__contains="482913").exists()


def test_admin_refuses_an_id_number_in_a_team_name(world, client):
    admin = world.users["admin"]
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    admin.refresh_from_db()
    client.force_login(admin)
    response = client.post(
        "/admin/volunteers/team/add/", {"name": f"Tổ {CCCD}", "ward": world.ward.pk}
    )
    assert response.status_code == 200
    assert ID_WORDS in response.content.decode()
    assert not Team.objects.filter(name__contains="234").exists()
