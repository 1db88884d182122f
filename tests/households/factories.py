"""Households and visits for tests, built through the services where the rules matter."""

import datetime
import uuid

from django.utils import timezone

from areas.models import Area
from households.addresses import walk_key
from households.models import Household, Visit
from households.services import address_key, visit_record
from volunteers.models import User

_numbers = iter(range(1, 10**9))


def household_in(area: Area, **fields) -> Household:
    """A household row (straight to the table: tests of the services build theirs through them)."""
    fields.setdefault("house_number", f"Số {next(_numbers)}")
    fields.setdefault("street", "Phố Định Công")
    fields.setdefault("members", 4)
    household = Household(area=area, **fields)
    household.address_key = address_key(
        house_number=household.house_number,
        alley=household.alley,
        street=household.street,
        apartment=household.apartment,
    )
    household.search_key = household.address_key
    household.walk_key = walk_key(
        house_number=household.house_number,
        alley=household.alley,
        street=household.street,
        apartment=household.apartment,
    )
    household.save()
    return household


def visit_data(**overrides) -> dict:
    data = {"result": "helped", "device_time": timezone.now(), "status_to": ""}
    data.update(overrides)
    return data


def visit_for(household: Household, volunteer: User, **overrides) -> Visit:
    visit, _created = visit_record(
        volunteer=volunteer,
        household=household,
        client_id=uuid.uuid4(),
        data=visit_data(**overrides),
    )
    return visit


def raw_visit(household: Household, volunteer: User, **fields) -> Visit:
    """A visit row without the rules (for households outside the volunteer's areas)."""
    now = timezone.now()
    fields.setdefault("device_time", now)
    return Visit.objects.create(
        client_uuid=uuid.uuid4(),
        fingerprint="x",
        household=household,
        volunteer=volunteer,
        day=timezone.localdate(fields["device_time"]),
        area=household.area,
        result="helped",
        **fields,
    )


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
