"""Demo world for `make run`: Hanoi in both eras, residential groups, teams, one login per role.

Every step is idempotent, so `make run` can seed again and again. Other apps add their own
demo records in `<app>/demo.py` with a `seed(world: DemoWorld, *, scale: int) -> None` function.
"""

from dataclasses import dataclass, field

from django.db import transaction

from areas.loading import areas_load
from areas.models import Area, AreaSuccession, Era, Kind, Level

from .models import Membership, Role, Team, User

DEMO_PASSWORD = "tungnha-demo"  # noqa: S105 — documented demo login, never used in production
HANOI = 1
# Phường Định Công (Hoàng Mai): the same name before and after 1 July 2025.
LEGACY_DISTRICT = "008"
LEGACY_WARD = "00307"
CURRENT_WARD = "00316"
CURRENT_OTHER_WARD = "00337"  # Phường Hoàng Liệt: a second ward, for "other area" checks
GROUPS_PER_WARD = 6


@dataclass
class DemoWorld:
    city: Area
    legacy_city: Area
    legacy_district: Area
    legacy_ward: Area
    ward: Area
    other_ward: Area
    groups: list[Area] = field(default_factory=list)
    legacy_groups: list[Area] = field(default_factory=list)
    other_groups: list[Area] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)

    @property
    def volunteers(self) -> list[User]:
        return [user for key, user in self.users.items() if key.startswith("volunteer")]


@dataclass(frozen=True)
class DemoLogin:
    key: str
    full_name: str
    phone: str
    email: str
    role: str


DEMO_LOGINS = [
    DemoLogin("admin", "Quản trị hệ thống", "0900000001", "admin@tungnha.vn", Role.ADMIN),
    DemoLogin("city", "Nguyễn Thu Hà", "0900000002", "thanhdoan@tungnha.vn", Role.CITY_UNION),
    DemoLogin(
        "district", "Trần Minh Quân", "0900000003", "quandoan@tungnha.vn", Role.DISTRICT_UNION
    ),
    DemoLogin("ward", "Lê Thị Phương", "0900000004", "phuong@tungnha.vn", Role.WARD_COORDINATOR),
    DemoLogin("leader", "Phạm Văn Tùng", "0900000005", "totruong@tungnha.vn", Role.TEAM_LEADER),
    DemoLogin("volunteer", "Đỗ Thị Mai", "0900000006", "tnv@tungnha.vn", Role.VOLUNTEER),
    DemoLogin("volunteer2", "Hoàng Đức Anh", "0900000007", "tnv2@tungnha.vn", Role.VOLUNTEER),
    DemoLogin(
        "other_ward", "Vũ Thị Lan", "0900000008", "hoangliet@tungnha.vn", Role.WARD_COORDINATOR
    ),
]


def _groups(ward: Area, count: int) -> list[Area]:
    existing = list(Area.objects.filter(path__startswith=ward.path, depth=ward.depth + 1))
    have = {area.name for area in existing}
    for number in range(1, count + 1):
        name = f"Tổ dân phố {number}"
        if name in have:
            continue
        ward.refresh_from_db()
        existing.append(
            Area.objects.add_child(
                ward,
                instance=Area(
                    code=f"{ward.code}-{number:03d}",
                    era=ward.era,
                    level=Level.GROUP,
                    kind=Kind.RESIDENTIAL_GROUP,
                    name=name,
                    valid_from=ward.valid_from,
                    valid_to=ward.valid_to,
                ),
            )
        )
    return sorted(existing, key=lambda area: area.path)[:count]


def _user(login: DemoLogin) -> User:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        user = User.objects.create_user(
            email=login.email,
            password=DEMO_PASSWORD,
            full_name=login.full_name,
            phone=login.phone,
            is_staff=login.role == Role.ADMIN,
            is_superuser=login.role == Role.ADMIN,
        )
    return user


def _member(user: User, role: str, area: Area, team: Team | None = None) -> None:
    Membership.objects.get_or_create(user=user, role=role, area=area, defaults={"team": team})


@transaction.atomic
def seed_foundation() -> DemoWorld:
    areas_load(province_codes_to_load=[HANOI])
    world = DemoWorld(
        city=Area.objects.get(era=Era.CURRENT, depth=1, code="01"),
        legacy_city=Area.objects.get(era=Era.LEGACY, depth=1, code="01"),
        legacy_district=Area.objects.get(
            era=Era.LEGACY, level=Level.DISTRICT, code=LEGACY_DISTRICT
        ),
        legacy_ward=Area.objects.get(era=Era.LEGACY, code=LEGACY_WARD),
        ward=Area.objects.get(era=Era.CURRENT, code=CURRENT_WARD),
        other_ward=Area.objects.get(era=Era.CURRENT, code=CURRENT_OTHER_WARD),
    )
    world.groups = _groups(world.ward, GROUPS_PER_WARD)
    world.legacy_groups = _groups(world.legacy_ward, GROUPS_PER_WARD)
    world.other_groups = _groups(world.other_ward, 3)
    for old, new in zip(world.legacy_groups, world.groups, strict=True):
        AreaSuccession.objects.get_or_create(predecessor=old, successor=new)

    for index, group in enumerate(world.groups[:3], start=1):
        team, _ = Team.objects.get_or_create(
            ward=world.ward,
            name=f"Tổ CNS cộng đồng số {index}",
            defaults={"residential_group": group},
        )
        world.teams.append(team)
    other_team, _ = Team.objects.get_or_create(
        ward=world.other_ward,
        name="Tổ CNS Hoàng Liệt 1",
        defaults={"residential_group": world.other_groups[0]},
    )

    users = {login.key: _user(login) for login in DEMO_LOGINS}
    world.users = users
    _member(users["admin"], Role.ADMIN, world.city)
    _member(users["city"], Role.CITY_UNION, world.city)
    _member(users["city"], Role.CITY_UNION, world.legacy_city)
    _member(users["district"], Role.DISTRICT_UNION, world.legacy_district)
    _member(users["ward"], Role.WARD_COORDINATOR, world.ward)
    _member(users["ward"], Role.WARD_COORDINATOR, world.legacy_ward)
    _member(users["other_ward"], Role.WARD_COORDINATOR, world.other_ward)
    team = world.teams[0]
    _member(users["leader"], Role.TEAM_LEADER, team.area, team)
    _member(users["volunteer"], Role.VOLUNTEER, world.groups[0], team)
    _member(users["volunteer"], Role.VOLUNTEER, world.groups[1], team)
    _member(users["volunteer2"], Role.VOLUNTEER, world.groups[0], team)
    _member(users["volunteer2"], Role.VOLUNTEER, world.groups[2], world.teams[2])
    del other_team
    return world
