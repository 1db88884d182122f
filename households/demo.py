"""Demo households and visits, made through the services so every tally fires as in the field.

Idempotent: every record has a client id derived from its place in the demo, so a second run
finds them all (a visit whose payload moved with the calendar answers Conflict and is kept).
"""

import datetime
import random
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from volunteers.demo import DemoWorld
from volunteers.models import User

from .models import STATUS_CHAIN, Household, status_next
from .services import Conflict, household_create, visit_record

NAMESPACE = uuid.UUID("8f5d3c1e-4b2a-4e8f-9c7d-6a5b4c3d2e1f")
HOUSEHOLDS_PER_GROUP = 24
STREETS = ["Định Công", "Định Công Hạ", "Định Công Thượng", "Kim Giang", "Trần Điền"]
YOUTH_MONTH = datetime.date(2023, 3, 1)
STEP_COUNT = {
    "app_installed": "install_guidance",
    "level1": "level1_activations",
    "level2_registered": "dossiers_eid",
    "level2_activated": "level2_coaching",
    "uses_online_services": "dossiers_online",
}


def _id(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts))


def _households(group: Area, count: int, creator: User, rng: random.Random) -> list[Household]:
    made = []
    for number in range(1, count + 1):
        data = {
            "house_number": str(number * 2 + rng.randint(0, 1)),
            "alley": f"Ngõ {rng.randint(1, 120)}" if rng.random() < 0.7 else "",
            "street": rng.choice(STREETS),
            "apartment": "",
            "members": rng.randint(1, 6),
            "notes": "",
        }
        try:
            household, _created = household_create(
                user=creator,
                area=group,
                data=data,
                client_id=_id("household", group.code, number),
                confirm_duplicate=True,
            )
        except Conflict as conflict:
            household = conflict.existing
        made.append(household)
    return made


def _visit_payload(household: Household, status: str, when: datetime.datetime, rng) -> tuple:
    result = rng.choices(["helped", "not_home", "refused", "come_back"], [70, 18, 4, 8])[0]
    data = {"result": result, "device_time": when, "status_to": ""}
    if result != "helped":
        return data, status
    following = status_next(status)
    if following and rng.random() < 0.6:
        data["status_to"] = following
        data[STEP_COUNT[following]] = 1
        status = following
    if rng.random() < 0.3:
        data["install_guidance"] = data.get("install_guidance", 0) + 1
    if rng.random() < 0.25:
        data["dossiers_other"] = 1
    if rng.random() < 0.3:
        data[rng.choice(["e_payment", "online_shopping", "email", "info_safety"])] = 1
    counts = [value for value in data.values() if isinstance(value, int)]
    if max(counts, default=0) > household.members:
        data["over_members_confirmed"] = True
    return data, status


def _visits(household: Household, volunteers: list[User], days: list, rng: random.Random) -> None:
    status = STATUS_CHAIN[0]
    for index, day in enumerate(days):
        hour = rng.randint(8, 19)
        when = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)))
        when = timezone.make_aware(when)
        if when > timezone.now():
            continue
        data, status = _visit_payload(household, status, when, rng)
        try:
            visit_record(
                volunteer=rng.choice(volunteers),
                household=household,
                client_id=_id("visit", household.client_uuid, index),
                data=data,
            )
        except (Conflict, ValidationError):
            continue  # recorded by an earlier run (its date has since moved), or no longer fits


@transaction.atomic
def seed(world: DemoWorld, *, scale: int = 1) -> None:
    rng = random.Random(2023)
    today = timezone.localdate()
    users = world.users
    field_by_group = {
        world.groups[0].pk: [users["volunteer"], users["volunteer2"], users["leader"]],
        world.groups[1].pk: [users["volunteer"]],
        world.groups[2].pk: [users["volunteer2"]],
    }
    for group in world.groups:
        creators = field_by_group.get(group.pk, [users["ward"]])
        households = _households(group, HOUSEHOLDS_PER_GROUP * scale, creators[0], rng)
        volunteers = field_by_group.get(group.pk)
        if not volunteers:
            continue
        for household in households:
            days = []
            if rng.random() < 0.35:  # Youth Month 2023: counts in the legacy units
                days.append(YOUTH_MONTH + datetime.timedelta(days=rng.randint(0, 30)))
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                days.append(today - datetime.timedelta(days=rng.randint(0, 27)))
            _visits(household, volunteers, sorted(days), rng)
    for group in world.other_groups:
        _households(group, 5 * scale, users["other_ward"], rng)
