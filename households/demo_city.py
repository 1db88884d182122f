"""Youth Month 2023 across Hanoi: a few wards in every old district, their teams, households and
visits, so the city union sees totals, a ranking with strong and weak districts, and a ward's
teams and volunteers.

The demo records about a twentieth of what Hanoi published for Youth Month 2023 (DOMAIN.md),
spread over the 30 old districts with varied strength (a few over target, most between 60 and
100 %, a few behind). Visits go through `visit_record`, so they count exactly like visits from
the field (tallies, participations, status chain). Households and visits are historical: they
sit in residential groups of the old (legacy) tree, which is where March 2023 records count.

Idempotent per ward: a ward whose demo team exists was seeded before and is skipped.
"""

import datetime
import math
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from areas.models import Area, Era, Kind, Level
from core.text import search_key
from volunteers.demo import DEMO_PASSWORD, DemoWorld
from volunteers.models import Membership, Role, Team, User

from .models import Household, status_next
from .services import Conflict, household_create, visit_record

NAMESPACE = uuid.UUID("3c9a4e52-7d1b-4f0a-8e6c-2b5d9f1a7c43")
START = datetime.date(2023, 3, 1)
DAYS = 31
SHARE = 20  # the demo records about 1/SHARE of the published results
WARDS_PER_DISTRICT = 3
GROUPS_PER_WARD = 2
TEAM_PREFIX = "Tổ CNS cộng đồng "  # + the ward's name without "Phường"/"Xã": the seed marker
PHONE_PREFIX = "+84978"  # demo volunteers: +84978 + ward code (5 digits) + index (1 digit)

# Hanoi's published Youth Month 2023 results (DOMAIN.md), per Visit count field.
PUBLISHED = {
    "install_guidance": 64_992,
    "level1_activations": 14_948,
    "level2_coaching": 25_465,
    "dossiers_eid": 11_692,
    "dossiers_online": 4_700,
    "dossiers_other": 29_619 - 11_692 - 4_700,
}
PARTICIPATIONS = 9_000
# Which count, on a helped visit, moves the household one step along the status chain.
STEP_BY_COUNT = {
    "app_installed": "install_guidance",
    "level1": "level1_activations",
    "level2_registered": "dossiers_eid",
    "level2_activated": "level2_coaching",
    "uses_online_services": "dossiers_online",
}
OTHER_HELP = ["e_payment", "online_shopping", "email", "info_safety"]
INSTALLS_PER_HELPED_VISIT = 2.0
MEMBERS = ([1, 2, 3, 4, 5, 6], [10, 18, 25, 27, 12, 8])
# How districts fare: a few over target, most 60-100 %, a few behind (share of 30 districts).
STRONG, STEADY, BEHIND = (1.05, 1.3), (0.72, 1.0), (0.3, 0.52)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hải", "Thanh", "Hoài"]
GIVEN = [
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hiếu", "Hương", "Khánh", "Linh", "Long",
    "Mai", "Nam", "Ngân", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tú", "Vy", "Yến",
]  # fmt: skip
STREETS = ["Phố", "Đường", "Ngõ chợ", "Tổ"]


def _id(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts))


@dataclass
class _House:
    number: int
    group: Area
    members: int
    status: str = "none"
    helped: bool = False
    record: Household | None = None


@dataclass
class _Visit:
    volunteer: User
    day: datetime.date
    result: str
    when: datetime.datetime | None = None
    house: _House | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Ward:
    ward: Area
    quotas: dict[str, int]
    participations: int


# --- What each district and ward should reach -------------------------------------------------
def _strengths(count: int, rng: random.Random) -> list[float]:
    strong = max(1, round(count * 0.17))
    behind = max(1, round(count * 0.2))
    values = [rng.uniform(*STRONG) for _ in range(strong)]
    values += [rng.uniform(*BEHIND) for _ in range(behind)]
    values += [rng.uniform(*STEADY) for _ in range(count - strong - behind)]
    rng.shuffle(values)
    return values


def _plan(world: DemoWorld, scale: int) -> list[_Ward]:
    """The wards to seed, each with its quotas: 1/SHARE of the city's results, split over the
    districts by their number of wards (as the demo targets are) times the district's strength,
    then over its chosen wards with some spread."""
    city = world.legacy_city
    districts = list(
        Area.objects.filter(path__startswith=city.path, level=Level.DISTRICT).order_by("code")
    )
    wards_by_district: dict[str, list[Area]] = {}
    for ward in Area.objects.filter(path__startswith=city.path, level=Level.WARD).order_by("code"):
        wards_by_district.setdefault(ward.path[: -Area.steplen], []).append(ward)
    total_wards = sum(len(wards) for wards in wards_by_district.values())
    rng = random.Random(f"demo-city-{scale}")  # noqa: S311 — a demo, not a secret
    strengths = _strengths(len(districts), rng)
    plan = []
    for district, strength in zip(districts, strengths, strict=True):
        wards = [
            w for w in wards_by_district.get(district.path, []) if w.pk != world.legacy_ward.pk
        ]
        if not wards:
            continue
        chosen = sorted(rng.sample(wards, min(len(wards), WARDS_PER_DISTRICT * scale)), key=str)
        share = len(wards_by_district[district.path]) / total_wards * strength * scale / SHARE
        weights = [rng.uniform(0.6, 1.4) for _ in chosen]
        for ward, weight in zip(chosen, weights, strict=True):
            part = share * weight / sum(weights)
            quotas = {
                name: round(value * part * rng.uniform(0.9, 1.1))
                for name, value in PUBLISHED.items()
            }
            participations = max(2, round(PARTICIPATIONS * part * rng.uniform(0.85, 1.15)))
            plan.append(_Ward(ward=ward, quotas=quotas, participations=participations))
    return plan


# --- Places and people ------------------------------------------------------------------------
def _groups(ward: Area) -> list[Area]:
    """Residential groups under a legacy ward, inserted with precomputed tree paths."""
    existing = list(Area.objects.filter(path__startswith=ward.path, depth=ward.depth + 1))
    last = max((Area.numconv_obj().str2int(a.path[-Area.steplen :]) for a in existing), default=0)
    rows = []
    for index in range(1, GROUPS_PER_WARD + 1):
        name = f"Tổ dân phố {len(existing) + index}"
        rows.append(
            Area(
                path=Area._get_path(ward.path, ward.depth + 1, last + index),
                depth=ward.depth + 1,
                numchild=0,
                code=f"{ward.code}-{len(existing) + index:03d}",
                era=ward.era,
                level=Level.GROUP,
                kind=Kind.RESIDENTIAL_GROUP,
                name=name,
                search_key=search_key(name),
                valid_from=ward.valid_from,
                valid_to=ward.valid_to,
            )
        )
    Area.objects.bulk_create(rows)
    Area.objects.filter(pk=ward.pk).update(numchild=F("numchild") + len(rows))
    return list(Area.objects.filter(path__in=[row.path for row in rows]).order_by("path"))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _team_name(ward: Area) -> str:
    short = ward.name
    for kind in ("Phường ", "Xã ", "Thị trấn "):
        short = short.removeprefix(kind)
    return TEAM_PREFIX + short


def _team(ward: Area, groups: list[Area], count: int, password: str, rng) -> list[User]:
    """The ward's team: a leader over the ward and volunteers, each in one residential group."""
    team = Team.objects.create(ward=ward, name=_team_name(ward))
    joined = timezone.make_aware(
        datetime.datetime.combine(datetime.date(2023, 2, rng.randint(1, 28)), datetime.time(9))
    )
    people = User.objects.bulk_create(
        [
            User(
                phone=f"{PHONE_PREFIX}{int(ward.code):05d}{index}",
                full_name=_name(rng),
                password=password,
                date_joined=joined,
            )
            for index in range(count)
        ]
    )
    memberships = [Membership(user=people[0], role=Role.TEAM_LEADER, area=ward, team=team)]
    for index, person in enumerate(people):
        group = groups[index % len(groups)]
        memberships.append(Membership(user=person, role=Role.VOLUNTEER, area=group, team=team))
    Membership.objects.bulk_create(memberships)
    return people


# --- Visits -----------------------------------------------------------------------------------
def _slots(people: list[User], wanted: int, rng: random.Random) -> list[tuple[User, datetime.date]]:
    """Distinct (volunteer, day) pairs: every volunteer out at least once; weekends busier."""
    days = [START + datetime.timedelta(days=offset) for offset in range(DAYS)]
    weights = [2.2 if day.weekday() >= 5 else 1.0 for day in days]
    taken: set[tuple[int, datetime.date]] = set()
    slots = []
    for index in range(max(wanted, len(people))):
        person = people[index % len(people)]
        for _attempt in range(20):
            day = rng.choices(days, weights)[0]
            if (person.pk, day) not in taken:
                taken.add((person.pk, day))
                slots.append((person, day))
                break
    return slots


def _visits(plan: _Ward, people: list[User], groups: list[Area], rng) -> list[_Visit]:
    slots = _slots(people, plan.participations, rng)
    helped = max(len(slots), math.ceil(plan.quotas["install_guidance"] / INSTALLS_PER_HELPED_VISIT))
    visits = [_Visit(volunteer=person, day=day, result="helped") for person, day in slots]
    for _ in range(helped - len(slots)):
        person, day = rng.choice(slots)
        visits.append(_Visit(volunteer=person, day=day, result="helped"))
    for _ in range(round(helped * 0.3)):
        person, day = rng.choice(slots)
        result = rng.choices(["not_home", "come_back", "refused"], [55, 30, 15])[0]
        visits.append(_Visit(volunteer=person, day=day, result=result))
    # Each volunteer-day is a round of doors: morning, afternoon or evening, 10-25 minutes apart.
    rounds: dict[tuple[int, datetime.date], list[_Visit]] = {}
    for visit in visits:
        rounds.setdefault((visit.volunteer.pk, visit.day), []).append(visit)
    for (_pk, day), round_visits in rounds.items():
        rng.shuffle(round_visits)
        when = datetime.datetime.combine(day, datetime.time(rng.choice([8, 14, 17]), 0))
        when += datetime.timedelta(minutes=rng.randint(0, 50))
        for visit in round_visits:
            visit.when = timezone.make_aware(when)
            when += datetime.timedelta(minutes=rng.randint(10, 25))
    visits.sort(key=lambda visit: visit.when)
    _houses(visits, people, groups, rng)
    _counts(visits, plan.quotas, rng)
    return visits


def _houses(visits: list[_Visit], people: list[User], groups: list[Area], rng) -> None:
    """Doors in the volunteer's own group; some visited again (after "come back" mostly)."""
    group_of = {person.pk: groups[index % len(groups)] for index, person in enumerate(people)}
    leader = people[0].pk
    houses: list[_House] = []
    for visit in visits:
        reach = [
            h
            for h in houses
            if visit.volunteer.pk == leader or h.group == group_of[visit.volunteer.pk]
        ]
        again = [h for h in reach if not h.helped]
        if visit.result == "helped" and again and rng.random() < 0.25:
            visit.house = rng.choice(again)
        elif reach and rng.random() < 0.1:
            visit.house = rng.choice(reach)
        else:
            group = (
                group_of[visit.volunteer.pk] if visit.volunteer.pk != leader else rng.choice(groups)
            )
            visit.house = _House(len(houses) + 1, group, rng.choices(*MEMBERS)[0])
            houses.append(visit.house)
        visit.house.helped = visit.house.helped or visit.result == "helped"


def _counts(visits: list[_Visit], quotas: dict[str, int], rng) -> None:
    """Spread each quota over the helped visits, never more people than the household has."""
    helped = [visit for visit in visits if visit.result == "helped"]
    for name, quota in quotas.items():
        room = [visit for visit in helped if visit.counts.get(name, 0) < visit.house.members]
        for _ in range(quota):
            if not room:
                break
            visit = rng.choice(room)
            visit.counts[name] = visit.counts.get(name, 0) + 1
            if visit.counts[name] >= visit.house.members:
                room.remove(visit)
    for visit in helped:
        if rng.random() < 0.2:
            visit.counts[rng.choice(OTHER_HELP)] = 1


def _record(ward: Area, visits: list[_Visit], rng) -> None:
    now = timezone.now()
    for visit in visits:
        house = visit.house
        if house.record is None:
            data = {
                "house_number": str(house.number * 2 + rng.randint(0, 1)),
                "alley": f"Ngõ {rng.randint(1, 200)}" if rng.random() < 0.7 else "",
                "street": f"{rng.choice(STREETS)} {ward.name.split(' ', 1)[-1]}",
                "apartment": "",
                "members": house.members,
                "notes": "",
            }
            try:
                house.record, _created = household_create(
                    user=visit.volunteer,
                    area=house.group,
                    data=data,
                    client_id=_id("household", house.group.code, house.number),
                    confirm_duplicate=True,
                )
            except Conflict as conflict:
                house.record = conflict.existing
        if visit.when > now:
            continue
        data = {"result": visit.result, "device_time": visit.when, **visit.counts}
        following = status_next(house.status)
        if following and visit.counts.get(STEP_BY_COUNT[following]):
            data["status_to"] = following
            house.status = following
        visit_record(
            volunteer=visit.volunteer,
            household=house.record,
            client_id=_id("visit", ward.code, visit.volunteer.phone, visit.when.isoformat()),
            data=data,
        )


@transaction.atomic
def seed(world: DemoWorld, *, scale: int = 1) -> None:
    done = set(
        Team.objects.filter(
            name__startswith=TEAM_PREFIX,
            ward__era=Era.LEGACY,
            ward__path__startswith=world.legacy_city.path,
        ).values_list("ward_id", flat=True)
    )
    password = None
    for plan in _plan(world, scale):
        if plan.ward.pk in done:
            continue
        password = password or make_password(DEMO_PASSWORD)
        rng = random.Random(f"demo-city-{plan.ward.code}-{scale}")  # noqa: S311
        groups = _groups(plan.ward)
        size = min(9, max(2, round(plan.participations / 1.8)))
        people = _team(plan.ward, groups, size, password, rng)
        _record(plan.ward, _visits(plan, people, groups, rng), rng)
