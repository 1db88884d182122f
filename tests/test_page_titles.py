"""Issue 18: a page's title names what it shows (a screen reader announces it first)."""

import re

import pytest
from django.urls import reverse

from tests.workspace.factories import assignment_of, household_in, visit_to

pytestmark = pytest.mark.django_db


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_visit_edit_title_names_the_household(client, world):
    volunteer = world.users["volunteer"]
    assignment_of(world.groups[0], world.ward, volunteer=volunteer)
    visit = visit_to(household_in(world.groups[0], street="Ngõ 90 Kim Giang"), volunteer)
    client.force_login(volunteer)
    title = title_of(client.get(reverse("households:visit-edit", args=[visit.pk])))
    assert "Sửa lượt thăm" in title
    assert "Ngõ 90 Kim Giang" in title


@pytest.mark.parametrize("name", ["team-list", "volunteer-list", "assignments", "review"])
def test_ward_pages_name_the_ward(client, world, name):
    client.force_login(world.users["ward"])
    title = title_of(client.get(reverse(f"workspace:{name}", args=[world.ward.pk])))
    assert world.ward.name in title


def test_outbox_pages_are_titled_as_outboxes(client, world):
    client.force_login(world.users["volunteer"])
    assert title_of(client.get(reverse("trainings:outbox"))).startswith("Lớp học chờ gửi")
    assert title_of(client.get(reverse("trainings:offline"))).startswith("Lớp kỹ năng số")
    assert title_of(client.get(reverse("households:outbox"))).startswith("Chờ gửi")
