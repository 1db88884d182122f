"""Teams, volunteers and invitations: a link (or its QR code) brings a volunteer into a team."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from volunteers.assignments import team_create, volunteer_add
from volunteers.invitations import invitation_accept, invitation_create
from volunteers.models import Invitation, Membership, Role, Team, User

from .factories import invitation_for, team_in


def test_coordinator_creates_a_team_for_a_residential_group(login, world):
    client = login(world.users["ward"])
    url = reverse("workspace:team-create", args=[world.ward.pk])
    response = client.post(url, {"name": "Tổ CNS số 9", "residential_group": world.groups[4].pk})
    team = Team.objects.get(name="Tổ CNS số 9")
    assert response.url == reverse("workspace:team-detail", args=[team.pk])
    assert (team.ward, team.residential_group) == (world.ward, world.groups[4])


def test_a_group_of_another_ward_cannot_serve_a_team(world):
    with pytest.raises(ValidationError):
        team_create(ward=world.ward, name="Sai", residential_group=world.other_groups[0])


def test_invitation_page_shows_link_and_inline_qr(login, world):
    team = world.teams[0]
    client = login(world.users["ward"])
    response = client.post(
        reverse("workspace:invitation-create", args=[team.pk]),
        {"days": 7, "max_uses": 10, "role": "volunteer"},
    )
    invitation = Invitation.objects.get(team=team)
    assert response.url == reverse("workspace:invitation-detail", args=[invitation.pk])
    page = client.get(response.url).content.decode()
    assert "<svg" in page
    assert reverse("workspace:join", args=[invitation.token]) in page
    assert invitation.max_uses == 10


def test_opening_the_link_creates_the_volunteer_in_the_team_and_signs_them_in(client, world):
    team = world.teams[1]
    invitation = invitation_for(team, uses=2)
    url = reverse("workspace:join", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "full_name": "Cao Thị Lụa",
            "phone": "0977 123 456",
            "password1": "mua-xuan-2023",
            "password2": "mua-xuan-2023",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(phone="+84977123456")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.area, membership.team) == (
        Role.VOLUNTEER,
        team.area,
        team,
    )
    assert client.get(reverse("home")).context["user"] == user
    invitation.refresh_from_db()
    assert invitation.use_count == 1


@pytest.mark.parametrize("problem", ["expired", "revoked", "used_up"])
def test_an_unusable_link_says_why_and_creates_nobody(client, world, problem):
    invitation = invitation_for(world.teams[0], uses=1)
    if problem == "expired":
        invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    elif problem == "revoked":
        invitation.revoked_at = timezone.now()
    else:
        invitation.use_count = 1
    invitation.save()
    url = reverse("workspace:join", args=[invitation.token])
    response = client.post(
        url,
        {
            "full_name": "X",
            "phone": "0977000111",
            "password1": "abc-xyz-123",
            "password2": "abc-xyz-123",
        },
    )
    assert response.status_code == 410
    assert not User.objects.filter(phone="+84977000111").exists()


def test_the_last_use_cannot_be_taken_twice(world):
    invitation = invitation_for(world.teams[0], uses=1)
    invitation_accept(
        invitation=invitation, full_name="A", phone="0977000001", password="x-y-z-123"
    )
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation, full_name="B", phone="0977000002", password="x-y-z-123"
        )
    assert not User.objects.filter(phone="+84977000002").exists()


def test_a_volunteer_added_by_the_coordinator_is_not_claimed_by_typing_their_phone(world):
    """Issue 11: the pre-added account is claimed with its one-time code (tests/volunteers/
    test_invitations_and_claims.py), never through a team link and its phone number."""
    user, created = volunteer_add(ward=world.ward, full_name="Đinh Văn Lâm", phone="0966 000 111")
    assert created
    assert not user.has_usable_password()
    invitation = invitation_for(world.teams[0])
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation,
            full_name="Đinh Văn Lâm",
            phone="0966000111",
            password="lam-2023-cns",
        )
    user.refresh_from_db()
    assert not user.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_someone_with_an_account_cannot_be_taken_over_through_a_link(world):
    invitation = invitation_for(world.teams[0])
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation,
            full_name="Kẻ mạo danh",
            phone=world.users["volunteer"].phone,
            password="chiem-tai-khoan",
        )
    assert world.users["volunteer"].check_password("tungnha-demo")


def test_invitation_area_must_lie_in_the_team_ward(world):
    with pytest.raises(ValidationError):
        invitation_create(
            team=world.teams[0], created_by=world.users["ward"], area=world.other_groups[0]
        )


def test_deactivating_a_volunteer_ends_sessions_and_releases_assignments(login, world, client):
    from .factories import assignment_of, volunteer_in

    volunteer = volunteer_in(world.groups[2], world.teams[2])
    assignment = assignment_of(world.groups[3], world.ward, volunteer=volunteer)
    client.force_login(volunteer)
    assert Session.objects.count() == 1
    client.logout()
    from django.test import Client

    theirs = Client()
    theirs.force_login(volunteer)
    coordinator = login(world.users["ward"])
    response = coordinator.post(reverse("workspace:volunteer-deactivate", args=[volunteer.pk]))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assignment.refresh_from_db()
    assert not volunteer.is_active
    assert assignment.release_reason == "deactivated"
    assert theirs.get(reverse("home")).status_code == 302  # signed out


def test_coordinator_of_another_ward_cannot_deactivate_here(login, world):
    client = login(world.users["other_ward"])
    volunteer = world.users["volunteer2"]
    response = client.post(reverse("workspace:volunteer-deactivate", args=[volunteer.pk]))
    assert response.status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.is_active


def test_volunteer_list_filters_in_place_with_htmx(login, world):
    client = login(world.users["ward"])
    url = reverse("workspace:volunteer-list", args=[world.ward.pk])
    page = client.get(url)
    assert "Đỗ Thị Mai" in page.content.decode()
    assert "<html" in page.content.decode()
    partial = client.get(url, {"team": world.teams[2].pk}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert "Hoàng Đức Anh" in body
    assert "Đỗ Thị Mai" not in body


def test_team_list_query_count_does_not_grow_with_teams(
    login, world, django_assert_max_num_queries
):
    client = login(world.users["ward"])
    for number in range(15):
        team_in(world.ward, name=f"Tổ thêm {number}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("workspace:team-list", args=[world.ward.pk])).status_code == 200


def test_adding_again_a_volunteer_who_was_switched_off_leaves_the_account_off(world):
    user, _ = volunteer_add(ward=world.ward, full_name="Đinh Văn Lâm", phone="0966 000 222")
    user.is_active = False
    user.save()
    again, created = volunteer_add(ward=world.ward, full_name="Đinh Văn Lâm", phone="0966000222")
    assert (again, created) == (None, False)
    user.refresh_from_db()
    assert not user.is_active
