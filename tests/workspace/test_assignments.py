"""Assignments: groups given to volunteers or teams narrow what they see, at once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from volunteers.assignments import (
    assignment_create,
    assignment_handover,
    assignment_release_expired,
    groups_uncovered,
)
from volunteers.models import Assignment
from volunteers.scoping import field_scope_for
from volunteers.tasks import assignments_release_expired_task

from .factories import assignment_of, household_in, volunteer_in


def test_without_assignments_a_volunteer_sees_their_membership_groups(world):
    scope = field_scope_for(user=world.users["volunteer"])
    assert scope.contains(world.groups[0])
    assert scope.contains(world.groups[1])
    assert not scope.contains(world.groups[3])


def test_an_assigned_group_replaces_the_membership_groups_in_that_ward(world):
    volunteer = world.users["volunteer"]
    assignment_of(world.groups[4], world.ward, volunteer=volunteer)
    scope = field_scope_for(user=volunteer)
    assert scope.contains(world.groups[4])
    assert not scope.contains(world.groups[0])


def test_a_team_assignment_reaches_every_member_of_the_team(world):
    team = world.teams[2]
    assignment_of(world.groups[5], world.ward, team=team)
    assert field_scope_for(user=world.users["volunteer2"]).contains(world.groups[5])
    assert not field_scope_for(user=world.users["volunteer"]).contains(world.groups[5])


def test_an_expired_assignment_counts_nowhere_before_the_task_runs(world):
    volunteer = world.users["volunteer"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assignment_of(world.groups[4], world.ward, volunteer=volunteer, until=yesterday)
    assert not field_scope_for(user=volunteer).contains(world.groups[4])
    assert field_scope_for(user=volunteer).contains(world.groups[0])


def test_the_periodic_task_releases_expired_assignments(world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    old = assignment_of(
        world.groups[4], world.ward, volunteer=world.users["volunteer"], until=yesterday
    )
    current = assignment_of(world.groups[5], world.ward, volunteer=world.users["volunteer"])
    assert assignments_release_expired_task.delay().get() == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.release_reason == "expired"
    assert current.released_at is None
    assert assignment_release_expired() == 0


def test_bulk_assignment_of_groups_to_a_team_through_the_page(login, world):
    client = login(world.users["ward"])
    response = client.post(
        reverse("workspace:assignment-create", args=[world.ward.pk]),
        {"groups": [world.groups[3].pk, world.groups[4].pk], "team": world.teams[1].pk},
    )
    assert response.status_code == 302
    assert set(Assignment.objects.active().values_list("area", "team")) == {
        (world.groups[3].pk, world.teams[1].pk),
        (world.groups[4].pk, world.teams[1].pk),
    }


def test_assigning_the_same_group_twice_keeps_one_row(world):
    kwargs = {"ward": world.ward, "created_by": world.users["ward"], "team": world.teams[0]}
    assignment_create(areas=[world.groups[3]], **kwargs)
    assert (
        assignment_create(areas=[world.groups[3], world.groups[4]], **kwargs)[0].area
        == world.groups[4]
    )
    assert Assignment.objects.count() == 2


def test_assigning_a_group_again_takes_the_new_end_date(login, world):
    kwargs = {"ward": world.ward, "created_by": world.users["ward"], "team": world.teams[0]}
    soon = timezone.localdate() + datetime.timedelta(days=3)
    later = timezone.localdate() + datetime.timedelta(days=30)
    assignment_create(areas=[world.groups[3]], valid_until=soon, **kwargs)
    client = login(world.users["ward"])
    response = client.post(
        reverse("workspace:assignment-create", args=[world.ward.pk]),
        {"groups": [world.groups[3].pk], "team": world.teams[0].pk, "valid_until": later},
        follow=True,
    )
    assert Assignment.objects.get(area=world.groups[3]).valid_until == later
    assert "1 tổ đã giao trước đó" in response.content.decode()


def test_a_group_of_another_ward_cannot_be_assigned(world):
    with pytest.raises(ValidationError):
        assignment_create(
            ward=world.ward,
            created_by=world.users["ward"],
            areas=[world.other_groups[0]],
            team=world.teams[0],
        )


def test_a_volunteer_of_another_ward_cannot_receive_groups_here(world):
    stranger = volunteer_in(world.other_groups[0])
    with pytest.raises(ValidationError):
        assignment_create(
            ward=world.ward,
            created_by=world.users["ward"],
            areas=[world.groups[3]],
            volunteer=stranger,
        )


def test_coordinator_cannot_assign_in_another_ward(login, world):
    client = login(world.users["other_ward"])
    response = client.post(
        reverse("workspace:assignment-create", args=[world.ward.pk]),
        {"groups": [world.groups[3].pk], "team": world.teams[0].pk},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_handover_moves_the_list_and_keeps_history(login, world):
    giver, taker = world.users["volunteer"], world.users["volunteer2"]
    old = assignment_of(world.groups[3], world.ward, volunteer=giver)
    client = login(world.users["ward"])
    client.post(
        reverse("workspace:volunteer-handover", args=[giver.pk]), {"to_volunteer": taker.pk}
    )
    old.refresh_from_db()
    assert old.release_reason == "handed_over"
    assert old.handed_over_to.volunteer == taker
    assert field_scope_for(user=taker).contains(world.groups[3])
    assert not field_scope_for(user=giver).contains(world.groups[3])


def test_handover_to_oneself_is_refused(world):
    giver = world.users["volunteer"]
    with pytest.raises(ValidationError):
        assignment_handover(
            ward=world.ward, from_volunteer=giver, created_by=giver, to_volunteer=giver
        )


def test_groups_nobody_covers_are_listed(world):
    assignment_of(world.groups[0], world.ward, team=world.teams[0])
    uncovered = set(groups_uncovered(ward=world.ward))
    assert world.groups[0] not in uncovered
    assert world.groups[5] in uncovered


def test_coverage_counts_households_visited_and_not(login, world):
    from households.models import Household

    first = household_in(world.groups[3], number="1")
    household_in(world.groups[3], number="2")
    Household.objects.filter(pk=first.pk).update(last_visit_at=timezone.now())
    client = login(world.users["ward"])
    page = client.get(reverse("workspace:coverage", args=[world.ward.pk]))
    row = next(r for r in page.context["rows"] if r["group"] == world.groups[3])
    assert (row["total"], row["visited"], row["unvisited"], row["percent"]) == (2, 1, 1, 50)
    assert row["covered_by"] == []


def test_the_volunteer_household_list_follows_assignments_at_once(client, world):
    from households.selectors import household_list_for

    household = household_in(world.groups[4])
    volunteer = world.users["volunteer"]
    assert household not in household_list_for(user=volunteer)
    assignment_of(world.groups[4], world.ward, team=world.teams[0])
    # The next request (a fresh user object, as the middleware loads it) sees the new group.
    from volunteers.models import User

    assert household in household_list_for(user=User.objects.get(pk=volunteer.pk))
