"""Issue 11, item 1: nobody takes over, reactivates or reads an account that is not theirs.

An invitation link creates a new account or adds a role to the signed-in one; a pre-added
account is claimed only with its one-time code; adding a volunteer by a phone that has an
account shows nothing of it and offers a role; a switched-off account stays off.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import member
from tests.workspace.factories import invitation_for
from volunteers.assignments import volunteer_add
from volunteers.claims import claim_issue
from volunteers.models import AccountClaim, Membership, Role, RoleInvitation, Team, User

PASSWORD = "mat-khau-moi-2026"


def _join(client: Client, invitation, phone: str, **extra) -> object:
    data = {
        "full_name": "Kẻ mạo danh",
        "phone": phone,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("workspace:join", args=[invitation.token]), data)


def test_any_link_and_a_pre_added_phone_do_not_take_the_account_over(client, world):
    """The takeover: a ward adds a volunteer by phone; a link of another ward and that phone
    must not sign anyone in as them."""
    victim, created = volunteer_add(ward=world.ward, full_name="Đinh Văn Lâm", phone="0966000333")
    assert created
    other_ward_link = invitation_for(Team.objects.get(name="Tổ CNS Hoàng Liệt 1"))
    response = _join(client, other_ward_link, "0966 000 333")
    assert response.status_code == 200
    assert "đã có tài khoản" in response.content.decode()
    victim.refresh_from_db()
    assert not victim.has_usable_password()
    assert victim.full_name == "Đinh Văn Lâm"
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(user=victim, area__path__startswith=world.other_ward.path)
    other_ward_link.refresh_from_db()
    assert other_ward_link.use_count == 0


def test_a_link_opened_while_signed_in_adds_the_role_to_that_account(login, world):
    volunteer = world.users["volunteer"]
    invitation = invitation_for(world.teams[2])
    client = login(volunteer)
    response = client.post(reverse("workspace:join", args=[invitation.token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=volunteer, team=world.teams[2], is_active=True).exists()


def test_the_owner_claims_a_pre_added_account_with_the_code_shown_once(login, world):
    coordinator = login(world.users["ward"])
    page = coordinator.post(
        reverse("workspace:volunteer-create", args=[world.ward.pk]),
        {"full_name": "Đinh Văn Lâm", "phone": "0966000444", "team": world.teams[0].pk},
    )
    assert page.status_code == 200
    code = page.context["code"]
    assert code in page.content.decode()
    user = User.objects.get(phone="+84966000444")
    claim = AccountClaim.objects.get(user=user)
    assert code.replace("-", "") not in claim.code_hash  # only a keyed hash is stored
    assert claim.expires_at > timezone.now() + datetime.timedelta(days=6)

    owner = Client()
    wrong = owner.post(
        reverse("volunteers:claim"),
        {"code": "AAAA-BBBB-CCCC", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert wrong.status_code == 400
    user.refresh_from_db()
    assert not user.has_usable_password()

    done = owner.post(
        reverse("volunteers:claim"),
        {"code": code.lower(), "password1": PASSWORD, "password2": PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert owner.session["_auth_user_id"] == str(user.pk)

    again = Client().post(
        reverse("volunteers:claim"),
        {"code": code, "password1": "khac-hoan-toan-99", "password2": "khac-hoan-toan-99"},
    )
    assert again.status_code == 400  # one use
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_expired_or_replaced_code_claims_nothing(world):
    user, _ = volunteer_add(ward=world.ward, full_name="Ngô Thị Hoa", phone="0966000555")
    first = claim_issue(user=user, created_by=world.users["ward"])
    second = claim_issue(user=user, created_by=world.users["ward"])
    client = Client()
    data = {"password1": PASSWORD, "password2": PASSWORD}
    assert client.post(reverse("volunteers:claim"), {**data, "code": first}).status_code == 400
    AccountClaim.objects.filter(user=user, used_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.post(reverse("volunteers:claim"), {**data, "code": second}).status_code == 400
    user.refresh_from_db()
    assert not user.has_usable_password()


@pytest.mark.parametrize("key", ["admin", "city", "other_ward", "volunteer"])
def test_adding_an_existing_phone_shows_nothing_of_the_account_and_offers_a_role(login, world, key):
    """The claim: the administrator's, the city's, another ward's phone."""
    target = world.users[key]
    if key == "volunteer":  # a volunteer of Định Công, added by Hoàng Liệt's coordinator
        client, ward, team = login(world.users["other_ward"]), world.other_ward, None
    else:
        client, ward, team = login(world.users["ward"]), world.ward, world.teams[0]
    before = set(Membership.objects.filter(user=target).values_list("pk", "is_active", "team"))
    data = {"full_name": "Tên bất kỳ", "phone": target.phone, "email": ""}
    if team:
        data["team"] = team.pk
    response = client.post(reverse("workspace:volunteer-create", args=[ward.pk]), data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    for word in (target.full_name, target.email):
        assert word not in page
    target.refresh_from_db()
    assert target.full_name != "Tên bất kỳ"
    after = set(Membership.objects.filter(user=target).values_list("pk", "is_active", "team"))
    assert after == before
    offer = RoleInvitation.objects.get(user=target)
    assert offer.area == (team.area if team else ward)
    # The coordinator cannot open the account's page either.
    detail = client.get(reverse("workspace:volunteer-detail", args=[target.pk]))
    assert detail.status_code == 404


def test_the_person_accepts_the_offered_role_once_signed_in(login, world):
    target = world.users["other_ward"]
    volunteer_add(
        ward=world.ward,
        full_name="X",
        phone=target.phone,
        team=world.teams[1],
        created_by=world.users["ward"],
    )
    offer = RoleInvitation.objects.get(user=target)
    stranger = login(world.users["volunteer"])
    url = reverse("volunteers:role-invitation-answer", args=[offer.pk])
    stranger.post(url, {"decision": "accept"})  # not theirs: nothing happens
    assert not Membership.objects.filter(team=world.teams[1], user=world.users["volunteer"])
    owner = login(target)
    assert "role-offers" in owner.get(reverse("home")).content.decode()
    assert owner.post(url, {"decision": "accept"}).status_code == 302
    membership = Membership.objects.get(user=target, team=world.teams[1])
    assert membership.role == Role.VOLUNTEER
    assert membership.is_active
    offer.refresh_from_db()
    assert offer.accepted_at is not None


def test_a_switched_off_account_is_not_revived_by_adding_its_phone(client, world):
    """The reactivation: the administrator switched an account off; a ward adds its phone."""
    target = member(world.other_groups[0], Role.VOLUNTEER, phone="+84966000666")
    target.is_active = False
    target.save()
    volunteer_add(ward=world.ward, full_name="X", phone="0966 000 666")
    target.refresh_from_db()
    assert not target.is_active
    assert not Membership.objects.filter(user=target, area__path__startswith=world.ward.path)
    response = client.post(
        reverse("account_login"), {"login": "0966000666", "password": "mat-khau-123"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200 or "inactive" in response.url


def test_only_authority_over_every_area_of_the_account_turns_it_back_on(login, world):
    target = member(world.groups[3], Role.VOLUNTEER, phone="0966000777")
    Membership.objects.create(user=target, role=Role.VOLUNTEER, area=world.other_groups[1])
    User.objects.filter(pk=target.pk).update(is_active=False)
    url = reverse("workspace:volunteer-reactivate", args=[target.pk])
    ward = login(world.users["ward"])  # Định Công only; the account also serves in Hoàng Liệt
    response = ward.post(url)
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    city = login(world.users["city"])  # above both wards
    city.post(url)
    target.refresh_from_db()
    assert target.is_active


def test_a_ward_coordinator_turns_back_on_the_volunteer_they_switched_off(login, world):
    target = member(world.groups[3], Role.VOLUNTEER, phone="0966000888")
    client = login(world.users["ward"])
    client.post(reverse("workspace:volunteer-deactivate", args=[target.pk]))
    target.refresh_from_db()
    assert not target.is_active
    client.post(reverse("workspace:volunteer-reactivate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active


def test_the_administrator_sees_offers_and_claims_but_no_code(login, world):
    user, _ = volunteer_add(ward=world.ward, full_name="Lý Văn Bình", phone="0966000999")
    code = claim_issue(user=user, created_by=world.users["ward"])
    client = login(world.users["admin"])
    for name in ("accountclaim", "roleinvitation"):
        page = client.get(reverse(f"admin:volunteers_{name}_changelist"))
        assert page.status_code == 200
        assert code not in page.content.decode()
    claim = AccountClaim.objects.get(user=user)
    page = client.get(reverse("admin:volunteers_accountclaim_change", args=[claim.pk]))
    assert claim.code_hash not in page.content.decode()
