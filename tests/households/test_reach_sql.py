"""The sync endpoint checks a household's reach in SQL (one query); it must say exactly what the
Python scope says (volunteers.scoping.field_scope_for + households assigned one by one)."""

import datetime
import uuid

import pytest
from django.utils import timezone

from households.selectors import household_for_visit, household_in_reach
from tests.factories import TeamFactory, member
from volunteers.models import Assignment, Membership, Role, User

from .factories import household_in

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """A new user object: each check computes its scope from scratch, like a new request."""
    return User.objects.get(pk=user.pk)


def households(world) -> list:
    groups = [*world.groups[:6], *world.other_groups[:2], *world.legacy_groups[:1]]
    return [household_in(group) for group in groups]


def assert_same_reach(user: User, rows: list) -> set[int]:
    sql = {row.pk for row in rows if household_for_visit(user=fresh(user), pk=row.pk)}
    python = {row.pk for row in rows if household_in_reach(user=fresh(user), household=row)}
    assert sql == python
    return sql


def scenario_group(world):
    return member(world.groups[0])


def scenario_ward(world):
    return member(world.ward)


def scenario_ward_narrowed_by_assignment(world):
    user = member(world.ward)
    Assignment.objects.create(ward=world.ward, area=world.groups[2], volunteer=user)
    return user


def scenario_group_replaced_by_assignment_in_same_ward(world):
    user = member(world.groups[0])
    Assignment.objects.create(ward=world.ward, area=world.groups[3], volunteer=user)
    return user


def scenario_team_assignments(world):
    team = TeamFactory(ward=world.ward)
    user = member(world.ward, Role.TEAM_LEADER, team)
    for group in (world.groups[1], world.groups[4]):
        Assignment.objects.create(ward=world.ward, area=group, team=team)
    return user


def scenario_household_one_by_one(world, rows):
    user = member(world.groups[0])
    Assignment.objects.create(ward=world.ward, volunteer=user, household_id=rows[5].pk)
    return user


def scenario_assignment_in_a_ward_not_held(world):
    user = member(world.groups[0])
    Assignment.objects.create(ward=world.other_ward, area=world.other_groups[0], volunteer=user)
    return user


def scenario_released_and_expired_assignments(world):
    user = member(world.ward)
    Assignment.objects.create(
        ward=world.ward, area=world.groups[2], volunteer=user, released_at=timezone.now()
    )
    Assignment.objects.create(
        ward=world.ward,
        area=world.groups[3],
        volunteer=user,
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    return user


def scenario_above_ward(world):
    return member(world.legacy_district)


def scenario_inactive_membership(world):
    user = member(world.groups[0])
    Membership.objects.filter(user=user).update(is_active=False)
    member_area = world.groups[1]
    Membership.objects.create(user=user, role=Role.VOLUNTEER, area=member_area)
    return user


SCENARIOS = [
    scenario_group,
    scenario_ward,
    scenario_ward_narrowed_by_assignment,
    scenario_group_replaced_by_assignment_in_same_ward,
    scenario_team_assignments,
    scenario_assignment_in_a_ward_not_held,
    scenario_released_and_expired_assignments,
    scenario_above_ward,
    scenario_inactive_membership,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_sql_reach_equals_the_python_scope(world, scenario):
    rows = households(world)
    reach = assert_same_reach(scenario(world), rows)
    assert reach != {row.pk for row in rows}  # nobody here reaches every household


def test_sql_reach_includes_households_assigned_one_by_one(world):
    rows = households(world)
    reach = assert_same_reach(scenario_household_one_by_one(world, rows), rows)
    assert reach == {rows[0].pk, rows[5].pk}


def test_sql_reach_narrowed_ward_sees_only_the_assigned_group(world):
    rows = households(world)
    assert assert_same_reach(scenario_ward_narrowed_by_assignment(world), rows) == {rows[2].pk}


def test_demo_volunteer_reach_is_the_same_in_sql(world):
    rows = households(world)
    assert assert_same_reach(world.users["volunteer"], rows)
    assert assert_same_reach(world.users["leader"], rows)
    assert not assert_same_reach(world.users["other_ward"], rows[:6])


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_visit_target_loads_the_household_and_area_as_the_orm_does(world):
    """The sync endpoint's hand-written read gives the same instances as a queryset."""
    from households.models import Household
    from households.services import visit_record

    user = member(world.groups[0])
    household = household_in(
        world.groups[0],
        client_uuid=uuid.uuid4(),
        contact_name="Chị Lan",
        consent_at=timezone.now(),
        consent_by=user,
        last_visit_at=timezone.now() - datetime.timedelta(days=2),
        digital_status="level1",
    )
    by_pk = household_for_visit(user=fresh(user), pk=household.pk, visit_client_id=uuid.uuid4())
    orm = Household.objects.select_related("area").get(pk=household.pk)
    assert _fields(by_pk) == _fields(orm)
    assert _fields(by_pk.area) == _fields(orm.area)
    assert by_pk.known_visit_id is None
    assert not by_pk._state.adding

    visit_id = uuid.uuid4()
    visit, _ = visit_record(
        volunteer=fresh(user), household=orm, client_id=visit_id, data={"result": "helped"}
    )
    resend = household_for_visit(
        user=fresh(user), client_uuid=household.client_uuid, visit_client_id=visit_id
    )
    assert (resend.pk, resend.known_visit_id) == (household.pk, visit.pk)
    unnamed = household_for_visit(user=fresh(user), client_uuid=household.client_uuid)
    assert unnamed.known_visit_id is None
    other = household_in(world.other_groups[0])
    assert household_for_visit(user=fresh(user), pk=other.pk) is None
