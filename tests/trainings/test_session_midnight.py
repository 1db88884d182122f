"""A session ends on the day it starts (Vietnam's time): the forms and sheets give a session one
day and two clock times, so one across midnight could be neither edited nor exported and read
back. The service refuses it, with the reason, for every way in: the form (plan and edit), the
offline sync and the back-entry import."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.jobs.models import JobStatus
from trainings.models import SessionImport, TrainingSession
from trainings.services import session_plan, session_times_check, session_update

from .factories import planned, topics

pytestmark = pytest.mark.django_db

MIDNIGHT = "kết thúc trong ngày bắt đầu"
PAST = datetime.date(2026, 3, 10)  # a Tuesday after the reform: the current tree


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _plan(world, user, start, end):
    return session_plan(
        user=user,
        client_uuid=uuid.uuid4(),
        area=world.groups[0],
        start=start,
        end=end,
        topics=topics("internet"),
    )


# --- The one door ---------------------------------------------------------------------------
def test_the_service_refuses_a_session_across_midnight_and_says_why(world):
    volunteer = world.users["volunteer"]
    with pytest.raises(ValidationError) as refused:
        _plan(world, volunteer, _at(PAST, 22), _at(PAST, 22) + datetime.timedelta(hours=3))
    assert refused.value.error_dict["end"][0].code == "crosses_midnight"
    message = refused.value.message_dict["end"][0]
    assert MIDNIGHT in message
    assert "10/03/2026" in message
    assert "hai buổi" in message  # what to do instead
    # Ending at midnight is ending the next day; a minute before is still the same day.
    with pytest.raises(ValidationError):
        _plan(world, volunteer, _at(PAST, 22), _at(PAST + datetime.timedelta(days=1), 0))
    session = _plan(world, volunteer, _at(PAST, 22), _at(PAST, 23, 59))
    assert timezone.localtime(session.end).time() == datetime.time(23, 59)
    assert TrainingSession.objects.count() == 1


def test_the_day_is_vietnams_not_utcs(world):
    """06:00-08:00 in Hanoi is 23:00-01:00 UTC: one day where the session happens."""
    start = _at(PAST, 6)
    assert (
        start.astimezone(datetime.UTC).date()
        != (start + datetime.timedelta(hours=2)).astimezone(datetime.UTC).date()
    )
    session_times_check(start=start, end=start + datetime.timedelta(hours=2))
    _plan(world, world.users["volunteer"], start, start + datetime.timedelta(hours=2))


def test_an_edit_cannot_move_a_session_across_midnight(world):
    volunteer = world.users["volunteer"]
    session = _plan(world, volunteer, _at(PAST, 19), _at(PAST, 21))
    with pytest.raises(ValidationError) as refused:
        session_update(
            user=volunteer,
            session=session,
            area=session.area,
            start=_at(PAST, 23),
            end=_at(PAST, 23) + datetime.timedelta(hours=2),
            topics=topics("internet"),
            trainers=[volunteer],
        )
    assert MIDNIGHT in refused.value.message_dict["end"][0]
    session.refresh_from_db()
    assert timezone.localtime(session.start).hour == 19


# --- The form -------------------------------------------------------------------------------
def _form_data(**overrides) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "topics": [topic.pk for topic in topics("internet")],
        "day": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "start_time": "22:00",
        "end_time": "00:30",  # the next day's half past midnight
        "audience": "residents",
        **overrides,
    }


@pytest.mark.parametrize(("who", "area"), [("volunteer", 0), ("leader", 0), ("ward", 0)])
def test_the_plan_form_says_why_a_session_across_midnight_is_refused(world, login, who, area):
    client = login(world.users[who])
    response = client.post(reverse("trainings:create"), _form_data(area=world.groups[area].pk))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert MIDNIGHT in " ".join(errors["end_time"])  # under the field the person typed
    assert MIDNIGHT in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_an_end_long_before_the_start_reads_as_a_slip_not_a_night(world, login):
    """10:00 – 09:00 would be 23 hours across midnight: taken as typed, it ends too early."""
    client = login(world.users["volunteer"])
    data = _form_data(area=world.groups[0].pk, start_time="10:00", end_time="09:00")
    errors = " ".join(
        client.post(reverse("trainings:create"), data).context["form"].errors["end_time"]
    )
    assert "phải sau giờ bắt đầu" in errors
    assert MIDNIGHT not in errors
    assert not TrainingSession.objects.exists()


def test_the_plan_form_still_takes_an_evening_session(world, login):
    client = login(world.users["volunteer"])
    data = _form_data(area=world.groups[0].pk, end_time="23:30")
    assert client.post(reverse("trainings:create"), data).status_code == 302
    assert TrainingSession.objects.count() == 1


def test_a_person_without_a_role_is_refused_before_any_times_are_read(login, nobody, world):
    response = login(nobody).post(reverse("trainings:create"), _form_data(area=world.groups[0].pk))
    assert response.status_code == 403
    assert not TrainingSession.objects.exists()


def test_the_edit_form_refuses_moving_a_session_across_midnight(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    before = (session.start, session.end)
    client = login(volunteer)
    day = timezone.localtime(session.start).date().isoformat()
    data = _form_data(
        client_uuid=str(session.client_uuid),
        area=world.groups[0].pk,
        day=day,
        start_time="23:00",
        end_time="01:00",
        trainers=[volunteer.pk],
    )
    response = client.post(reverse("trainings:edit", args=[session.pk]), data)
    assert response.status_code == 200
    assert MIDNIGHT in " ".join(response.context["form"].errors["end_time"])
    session.refresh_from_db()
    assert (session.start, session.end) == before


# --- The offline sync -----------------------------------------------------------------------
def test_the_offline_sync_answers_invalid_under_the_phone_forms_end_time(world, login):
    client = login(world.users["volunteer"])
    item = {
        "type": "training_plan",
        "id": str(uuid.uuid4()),
        "data": {
            "topics": [topics("internet")[0].pk],
            "day": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "start_time": "21:30",
            "end_time": "00:15",
            "area": world.groups[0].pk,
            "audience": "residents",
        },
    }
    response = client.post(
        reverse("trainings:sync"), json.dumps({"items": [item]}), content_type="application/json"
    )
    [result] = response.json()["results"]
    assert result["status"] == "invalid"
    assert MIDNIGHT in " ".join(result["errors"]["end_time"])
    assert not TrainingSession.objects.exists()


# --- The back-entry import ------------------------------------------------------------------
HEADER = "ngay,gio_bat_dau,gio_ket_thuc,ma_dia_ban,chu_de,so_nguoi\n"


def test_the_import_names_each_row_across_midnight_and_writes_nothing(
    world, login, django_capture_on_commit_callbacks
):
    group = world.groups[0].code
    text = HEADER + (
        f"18/03/2023,08:00,10:00,{group},internet,10\n"  # row 2: fine
        f"18/03/2023,22:00,01:00,{group},internet,10\n"  # row 3: ends the next day
        f"19/03/2023,23:00,,{group},internet,10\n"  # row 4: no end, two hours: the next day
        f"20/03/2023,21:00,,{group},internet,10\n"  # row 5: no end, ends at 23:00: fine
    )
    client = login(world.users["ward"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trainings:import"),
            {"area": world.ward.pk, "file": SimpleUploadedFile("lop.csv", text.encode())},
        )
    assert response.status_code == 302
    job = SessionImport.objects.get()
    assert job.status == JobStatus.INVALID
    assert {(error["row"], error["column"]) for error in job.errors} == {
        (3, "gio_ket_thuc"),
        (4, "gio_ket_thuc"),
    }
    by_row = {error["row"]: error["message"] for error in job.errors}
    assert MIDNIGHT in by_row[3]
    assert "18/03/2023" in by_row[3]
    assert "Không có giờ kết thúc" in by_row[4]
    assert MIDNIGHT in by_row[4]
    assert not TrainingSession.objects.exists()
