"""Households given to a volunteer one by one join their list and may be visited."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from households.selectors import household_list_for
from households.services import visit_record
from volunteers.models import Assignment

from .factories import household_in, visit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def stray_household(world):
    # Group 4 of Định Công: inside the ward, outside the demo volunteer's own groups.
    return household_in(world.groups[4], house_number="Số 99")


def test_household_outside_groups_is_hidden_and_refused_until_assigned(world, stray_household):
    volunteer = world.users["volunteer"]
    assert stray_household not in household_list_for(user=volunteer)
    with pytest.raises(ValidationError):
        visit_record(
            volunteer=volunteer,
            household=stray_household,
            client_id=uuid.uuid4(),
            data=visit_data(),
        )


def test_household_assigned_one_by_one_joins_the_list_and_takes_visits(world, stray_household):
    volunteer = world.users["volunteer"]
    Assignment.objects.create(ward=world.ward, volunteer=volunteer, household_id=stray_household.pk)
    volunteer = type(volunteer).objects.get(pk=volunteer.pk)  # a fresh request's user
    assert stray_household in household_list_for(user=volunteer)
    visit, created = visit_record(
        volunteer=volunteer, household=stray_household, client_id=uuid.uuid4(), data=visit_data()
    )
    assert created
    assert visit.household == stray_household


def test_released_household_assignment_hides_it_again(login, world, stray_household):
    volunteer = world.users["volunteer"]
    assignment = Assignment.objects.create(
        ward=world.ward, volunteer=volunteer, household_id=stray_household.pk
    )
    client = login(volunteer)
    url = reverse("households:detail", args=[stray_household.pk])
    assert client.get(url).status_code == 200
    from volunteers.assignments import assignment_release

    assignment_release(assignment=assignment)
    assert client.get(url).status_code == 404
