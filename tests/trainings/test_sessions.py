import datetime
import uuid
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.activity import Indicator
from trainings.counting import all_deltas
from trainings.models import Attendee, SessionPhoto, SessionState, TrainingSession
from trainings.samples import tiny_pdf
from trainings.services import (
    AttendeeInput,
    attendees_parse,
    session_delete,
    session_mark_held,
    session_plan,
    session_report,
    session_update,
)

from .conftest import totals
from .factories import planned, png_upload, topics

pytestmark = pytest.mark.django_db

HELD = Indicator.TRAININGS_HELD
ATTENDEES = Indicator.TRAINING_ATTENDEES


def _net(deltas) -> Counter:
    counter = Counter()
    for delta in deltas:
        for indicator, count in delta.counts.items():
            counter[(delta.area_id, delta.day, delta.volunteer_id, indicator)] += count
    return +counter


def test_planning_twice_with_the_same_client_uuid_creates_one_session(world):
    volunteer = world.users["volunteer"]
    key = uuid.uuid4()
    start = timezone.now() + datetime.timedelta(days=1)
    kwargs = {
        "user": volunteer,
        "client_uuid": key,
        "area": world.groups[0],
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "topics": topics("email"),
    }
    first = session_plan(**kwargs)
    second = session_plan(**kwargs)
    assert first.pk == second.pk
    assert TrainingSession.objects.filter(client_uuid=key).count() == 1
    assert list(first.trainers.all()) == [volunteer]


def test_planning_outside_ones_scope_is_refused(world):
    with pytest.raises(ValidationError) as error:
        planned(user=world.users["volunteer"], area=world.other_groups[0])
    assert "phạm vi" in str(error.value)
    assert not TrainingSession.objects.filter(area=world.other_groups[0]).exists()


def test_planned_session_is_not_counted(world, recorded):
    planned(user=world.users["volunteer"], area=world.groups[0])
    assert recorded == []


def test_holding_a_session_counts_one_training_for_its_trainer_in_its_group(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_mark_held(user=volunteer, session=session)
    session_mark_held(user=volunteer, session=session)  # a double tap counts once
    assert totals(recorded, HELD) == 1
    (delta,) = recorded
    assert delta.area_id == world.groups[0].pk
    assert delta.volunteer_id == volunteer.pk
    assert delta.day == timezone.localdate()


def test_session_held_in_the_future_is_refused_and_stays_planned(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(
        user=volunteer, area=world.groups[0], start=timezone.now() + datetime.timedelta(hours=3)
    )
    with pytest.raises(ValidationError) as error:
        session_mark_held(user=volunteer, session=session)
    assert "tương lai" in str(error.value)
    with pytest.raises(ValidationError):
        session_report(user=volunteer, session=session, attendee_count=10)
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    assert recorded == []


def test_negative_attendee_count_is_refused_and_nothing_is_written(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    with pytest.raises(ValidationError) as error:
        session_report(user=volunteer, session=session, attendee_count=-3)
    assert "số âm" in str(error.value)
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    assert recorded == []


def test_attendee_list_without_consent_is_refused_and_nothing_is_written(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    with pytest.raises(ValidationError) as error:
        session_report(
            user=volunteer,
            session=session,
            attendee_count=2,
            attendees=[AttendeeInput("Nguyễn Văn A", "+84912345678")],
            attendees_consent=False,
        )
    assert "đồng ý" in str(error.value)
    assert not Attendee.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    assert recorded == []


def test_report_with_consented_list_and_photos_counts_the_largest_attendee_figure(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    people = attendees_parse("Nguyễn Văn A, 0912 345 678, 60+\nTrần Thị B\nLê C, , 18-35")
    session_report(
        user=volunteer,
        session=session,
        attendee_count=2,
        attendees=people,
        attendees_consent=True,
        photos=[png_upload(), png_upload("lop.jpg.png", rgb=(20, 90, 200))],
    )
    session.refresh_from_db()
    assert session.state == SessionState.REPORTED
    assert session.attendees.count() == 3
    assert session.attendees.get(name="Nguyễn Văn A").phone == "+84912345678"
    assert SessionPhoto.objects.filter(session=session).count() == 2
    assert totals(recorded, HELD) == 1
    assert totals(recorded, ATTENDEES) == 3  # max(typed 2, listed 3)


def test_a_bad_photo_refuses_the_whole_report(world, recorded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as error:
        session_report(
            user=volunteer, session=session, attendee_count=5, photos=[png_upload(), fake]
        )
    assert "anh.jpg" in str(error.value)
    assert not SessionPhoto.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED
    assert recorded == []


def test_attendee_list_lines_with_bad_phone_are_reported_by_line():
    with pytest.raises(ValidationError) as error:
        attendees_parse("Nguyễn Văn A, 0912345678\n, 0912345678\nB, 12345\nC, , già")
    messages = error.value.messages
    assert any(message.startswith("Dòng 2") for message in messages)
    assert any(message.startswith("Dòng 3") and "12345" in message for message in messages)
    assert any(message.startswith("Dòng 4") and "già" in message for message in messages)


def test_editing_a_reported_session_moves_its_counts(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_report(user=volunteer, session=session, attendee_count=12)
    session_update(
        user=volunteer,
        session=session,
        area=world.groups[1],
        start=session.start,
        end=session.end,
        topics=topics("email"),
        trainers=[volunteer],
    )
    net = _net(recorded)
    day = timezone.localdate(session.start)
    assert sum(v for k, v in net.items() if k[0] == world.groups[0].pk) == 0
    assert net[(world.groups[1].pk, day, volunteer.pk, HELD)] == 1
    assert net[(world.groups[1].pk, day, volunteer.pk, ATTENDEES)] == 12


def test_an_edit_that_changes_no_count_sends_nothing(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_report(user=volunteer, session=session, attendee_count=7)
    recorded.clear()
    session_update(
        user=volunteer,
        session=session,
        area=world.groups[0],
        start=session.start,
        end=session.end,
        topics=topics("e-payment"),
        trainers=[volunteer],
        address="Sân đình",
    )
    assert recorded == []


def test_deleting_a_reported_session_takes_its_counts_back(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    session_report(user=volunteer, session=session, attendee_count=9, photos=[png_upload()])
    session_delete(user=volunteer, session=session)
    assert totals(recorded, HELD) == 0
    assert totals(recorded, ATTENDEES) == 0
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


def test_a_march_2023_session_counts_in_the_legacy_group_as_it_stood_then(world, recorded):
    ward = world.users["ward"]
    start = timezone.make_aware(datetime.datetime(2023, 3, 18, 8, 0))
    session = planned(user=ward, area=world.groups[0], start=start)
    session_report(user=ward, session=session, attendee_count=30)
    (delta,) = recorded
    assert delta.area_id == world.legacy_groups[0].pk
    assert delta.day == datetime.date(2023, 3, 18)


def test_recompute_source_agrees_with_what_the_writes_recorded(world, recorded):
    from trainings.services import checkin_record, document_add, post_add

    volunteer = world.users["volunteer"]
    for index in range(3):
        session = planned(user=volunteer, area=world.groups[index % 2])
        checkin_record(session=session, name="Bà Hoa", phone="0912000111")
        session_report(user=volunteer, session=session, attendee_count=index)
    extra = planned(user=volunteer, area=world.groups[0])
    session_mark_held(user=volunteer, session=extra)
    session_delete(user=volunteer, session=extra)
    from django.core.files.uploadedfile import SimpleUploadedFile

    document_add(
        user=volunteer,
        area=world.groups[0],
        title="Cẩm nang",
        upload=SimpleUploadedFile("a.pdf", tiny_pdf()),
    )
    post_add(
        user=volunteer,
        area=world.groups[0],
        platform="facebook",
        url="https://facebook.com/doanphuong/posts/1",
        published_on=timezone.localdate(),
    )
    assert _net(recorded) == _net(all_deltas())


def _update(session, user, trainers):
    return session_update(
        user=user,
        session=session,
        area=session.area,
        start=session.start,
        end=session.end,
        topics=list(session.topics.all()),
        trainers=trainers,
    )


def test_a_trainer_whose_roles_ended_stays_on_the_session_but_cannot_be_named_anew(world):
    from volunteers.models import Membership

    ward, volunteer = world.users["ward"], world.users["volunteer"]
    session = planned(user=ward, area=world.groups[0], trainers=[ward, volunteer])
    Membership.objects.filter(user=volunteer).update(is_active=False)
    _update(session, ward, [ward, volunteer])  # kept: they did train
    assert set(session.trainers.all()) == {ward, volunteer}

    other = planned(user=ward, area=world.groups[0], trainers=[ward])
    with pytest.raises(ValidationError) as error:
        _update(other, ward, [ward, volunteer])
    assert "trainers" in error.value.message_dict
    assert list(other.trainers.all()) == [ward]


def test_a_report_sent_again_does_not_store_its_photos_twice(world, recorded):
    volunteer = world.users["volunteer"]
    session = planned(user=volunteer, area=world.groups[0])
    for _ in range(2):  # a double tap, or the outbox sending again
        session_report(
            user=volunteer,
            session=session,
            attendee_count=4,
            photos=[png_upload(), png_upload("cung-anh.png")],
        )
    assert SessionPhoto.objects.filter(session=session).count() == 1
    session_report(
        user=volunteer,
        session=session,
        attendee_count=4,
        photos=[png_upload("anh-moi.png", rgb=(0, 128, 0))],
    )
    assert SessionPhoto.objects.filter(session=session).count() == 2
    assert totals(recorded, ATTENDEES) == 4
