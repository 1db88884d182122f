import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.activity import Indicator
from trainings.models import CheckIn
from trainings.services import checkin_record, session_report

from .conftest import totals
from .factories import planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(world):
    return planned(user=world.users["volunteer"], area=world.groups[0])


def test_the_same_phone_twice_counts_once_however_it_is_written(session):
    first, created = checkin_record(session=session, name="Bà Hoa", phone="0912 345 678")
    again, created_again = checkin_record(session=session, name="Hoa", phone="+84912345678")
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert session.checkins.count() == 1


def test_without_phone_the_same_name_on_the_same_device_counts_once(session):
    checkin_record(session=session, name="Ông Minh", device_token="dev-1")
    checkin_record(session=session, name="ông  minh", device_token="dev-1")
    checkin_record(session=session, name="Bà Lan", device_token="dev-1")  # a family's phone
    checkin_record(session=session, name="Ông Minh", device_token="dev-2")
    assert session.checkins.count() == 3


def test_without_consent_no_name_or_phone_is_kept(session):
    checkin, _ = checkin_record(session=session, name="Bà Hoa", phone="0912345678")
    assert (checkin.name, checkin.phone, checkin.consent) == ("", "", False)
    kept, _ = checkin_record(
        session=session, name="Chú Tư", phone="0987654321", consent=True, age_group="60_plus"
    )
    assert (kept.name, kept.phone) == ("Chú Tư", "+84987654321")
    assert "0912345678" not in CheckIn.objects.get(pk=checkin.pk).person_key


def test_check_in_is_closed_well_before_and_after_the_class(world):
    volunteer = world.users["volunteer"]
    later = planned(
        user=volunteer, area=world.groups[0], start=timezone.now() + datetime.timedelta(hours=5)
    )
    with pytest.raises(ValidationError) as error:
        checkin_record(session=later, name="A", phone="0912345678")
    assert "Điểm danh chỉ mở" in str(error.value)
    earlier = planned(
        user=volunteer, area=world.groups[0], start=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        checkin_record(session=earlier, name="A", phone="0912345678")
    assert not CheckIn.objects.filter(session__in=[later, earlier]).exists()


def test_bad_phone_is_refused_with_a_vietnamese_message(session):
    with pytest.raises(ValidationError) as error:
        checkin_record(session=session, name="A", phone="12345")
    assert "không hợp lệ" in str(error.value)


def test_check_ins_after_the_report_raise_the_counted_attendees(world, session, recorded):
    session_report(user=world.users["volunteer"], session=session, attendee_count=1)
    for number in range(3):
        checkin_record(session=session, name=f"Người {number}", phone=f"091200000{number}")
    assert totals(recorded, Indicator.TRAINING_ATTENDEES) == 3
    assert totals(recorded, Indicator.TRAININGS_HELD) == 1
