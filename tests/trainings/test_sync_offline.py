"""The offline door for training sessions: once-only by client id, conflicts kept visible, the
shell and the pages the outbox script talks to."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from core.activity import Indicator
from trainings.models import SessionState, TrainingSession
from trainings.services import session_report

from .conftest import totals
from .factories import planned, topics

pytestmark = pytest.mark.django_db


def _post(client, items):
    return client.post(
        reverse("trainings:sync"), json.dumps({"items": items}), content_type="application/json"
    )


def _plan(world, key, **data):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return {
        "type": "training_plan",
        "id": str(key),
        "data": {
            "topics": [str(topics("email")[0].pk)],
            "trainers": [],
            "day": yesterday.isoformat(),
            "start_time": "08:00",
            "end_time": "10:00",
            "area": str(world.groups[0].pk),
            "audience": "residents",
            "title": "",
            "address": "Nhà văn hóa",
            "notes": "",
            **data,
        },
    }


def _report(session_ref: dict, count: int, saved_at: datetime.datetime | None = None, **data):
    body = {"attendee_count": str(count), "attendees": "", "attendees_consent": False, **data}
    body.update(session_ref)
    if saved_at is not None:
        body["device_time"] = saved_at.isoformat()
    return {"type": "training_report", "id": str(uuid.uuid4()), "data": body}


def test_plan_and_report_sent_three_times_count_once(world, login, recorded):
    client = login(world.users["volunteer"])
    plan_id = uuid.uuid4()
    items = [_report({"session_uuid": str(plan_id)}, 9), _plan(world, plan_id)]
    statuses = [[r["status"] for r in _post(client, items).json()["results"]] for _ in range(3)]
    created, duplicate = ["created", "created"], ["duplicate", "duplicate"]
    assert statuses == [created, duplicate, duplicate]
    session = TrainingSession.objects.get()
    assert (session.client_uuid, session.state, session.attendee_count) == (
        plan_id,
        SessionState.REPORTED,
        9,
    )
    assert totals(recorded, Indicator.TRAININGS_HELD) == 1
    assert totals(recorded, Indicator.TRAINING_ATTENDEES) == 9


def test_a_replayed_report_writes_nothing_over_a_later_edit_of_the_notes(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    client = login(volunteer)
    report = _report({"session": str(session.pk)}, 7, timezone.now(), notes="Trên điện thoại")
    assert _post(client, [report]).json()["results"][0]["status"] == "created"
    TrainingSession.objects.filter(pk=session.pk).update(notes="Sửa ở văn phòng")
    again = _post(client, [report]).json()["results"][0]
    assert (again["status"], again["code"]) == ("duplicate", 200)
    assert TrainingSession.objects.get(pk=session.pk).notes == "Sửa ở văn phòng"


def test_an_old_report_arriving_after_a_newer_one_is_a_conflict_and_changes_nothing(
    world, login, recorded
):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    saved_on_phone = timezone.now()
    session_report(user=world.users["ward"], session=session, attendee_count=20)  # later, online
    answer = _post(login(volunteer), [_report({"session": str(session.pk)}, 12, saved_on_phone)])
    result = answer.json()["results"][0]
    assert (result["status"], result["code"]) == ("conflict", 409)
    assert "20" in result["errors"]["__all__"][0]
    assert TrainingSession.objects.get(pk=session.pk).attendee_count == 20
    assert totals(recorded, Indicator.TRAINING_ATTENDEES) == 20


def test_a_correction_saved_after_the_report_is_applied(world, login, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_report(user=volunteer, session=session, attendee_count=10)
    later = timezone.now() + datetime.timedelta(seconds=1)
    result = _post(login(volunteer), [_report({"session": str(session.pk)}, 14, later)])
    assert result.json()["results"][0]["status"] == "created"
    assert TrainingSession.objects.get(pk=session.pk).attendee_count == 14
    assert totals(recorded, Indicator.TRAININGS_HELD) == 1
    assert totals(recorded, Indicator.TRAINING_ATTENDEES) == 14


def test_a_report_of_someone_elses_session_is_refused(world, login):
    session = planned(user=world.users["volunteer2"], area=world.groups[0])
    result = _post(login(world.users["volunteer"]), [_report({"session": str(session.pk)}, 3)])
    assert result.json()["results"][0]["status"] == "invalid"
    assert TrainingSession.objects.get(pk=session.pk).state == SessionState.PLANNED


def test_plan_form_sent_by_the_script_answers_json_and_keeps_the_message(world, login):
    client = login(world.users["volunteer"])
    data = _plan(world, uuid.uuid4())["data"]
    data["client_uuid"] = str(uuid.uuid4())
    response = client.post(reverse("trainings:create"), data, headers={"X-Requested-With": "fetch"})
    session = TrainingSession.objects.get(client_uuid=data["client_uuid"])
    assert response.json() == {"status": "created", "url": session.get_absolute_url()}
    page = client.get(session.get_absolute_url())
    assert "Đã lên kế hoạch lớp học" in page.content.decode()


def test_plan_form_with_errors_sent_by_the_script_answers_the_form_again(world, login):
    client = login(world.users["volunteer"])
    data = {**_plan(world, uuid.uuid4())["data"], "client_uuid": str(uuid.uuid4()), "topics": []}
    response = client.post(reverse("trainings:create"), data, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'data-training-form="plan"' in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_report_form_sent_by_the_script_answers_json(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    response = login(volunteer).post(
        reverse("trainings:report", args=[session.pk]),
        {"attendee_count": "6"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json()["url"] == session.get_absolute_url()
    assert TrainingSession.objects.get(pk=session.pk).state == SessionState.REPORTED


def test_local_page_of_a_session_not_yet_arrived_is_the_offline_shell(world, login):
    response = login(world.users["volunteer"]).get(reverse("trainings:local", args=[uuid.uuid4()]))
    assert response.status_code == 200
    assert "data-training-shell" in response.content.decode()


def test_local_pages_of_an_arrived_session_go_to_its_real_pages(world, login):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    client = login(volunteer)
    detail = client.get(reverse("trainings:local", args=[session.client_uuid]))
    report = client.get(reverse("trainings:local-report", args=[session.client_uuid]))
    assert detail["Location"] == session.get_absolute_url()
    assert report["Location"] == reverse("trainings:report", args=[session.pk])


def test_local_page_of_another_wards_session_is_404(world, login):
    session = planned(user=world.users["other_ward"], area=world.other_groups[0])
    response = login(world.users["volunteer"]).get(
        reverse("trainings:local", args=[session.client_uuid])
    )
    assert response.status_code == 404


def test_offline_shell_holds_the_plan_form_and_a_report_form_without_photos(world, login):
    body = login(world.users["volunteer"]).get(reverse("trainings:offline")).content.decode()
    assert 'data-training-form="plan"' in body
    assert 'data-training-form="report"' in body
    assert 'name="attendee_count"' in body
    assert 'name="photos"' not in body
    assert 'id="tr-i18n"' in body


@pytest.mark.parametrize(("user_key", "worker"), [("volunteer", True), ("ward", False)])
def test_only_field_roles_install_the_offline_worker_from_trainings_pages(
    world, login, user_key, worker
):
    body = login(world.users[user_key]).get(reverse("trainings:list")).content.decode()
    texts = json.loads(body.split('id="tr-i18n" type="application/json">')[1].split("</script>")[0])
    assert texts["worker"] is worker
    assert texts["waiting"] == "Chờ gửi: %(n)s"
