import pytest
from django.core.exceptions import ValidationError

from core.phones import display_phone, normalize_phone
from volunteers.models import Role, User
from volunteers.scoping import area_scope, field_scope_for, scope_for

from ..factories import member


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "091.234.5678",
    ],
)
def test_common_phone_spellings_normalise_to_one_form(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["12345", "0112345678", "09123456789012", "abc"])
def test_malformed_phone_is_refused_in_vietnamese(raw):
    with pytest.raises(ValidationError, match="không hợp lệ"):
        normalize_phone(raw)


def test_phone_is_displayed_the_local_way():
    assert display_phone("+84912345678") == "0912 345 678"


@pytest.mark.django_db
def test_duplicate_phone_account_is_refused(world):
    with pytest.raises(ValidationError):
        User.objects.create_user(
            email="x@example.vn", password="abc12345xyz", full_name="X", phone="0900 000 006"
        )


@pytest.mark.django_db
def test_scope_is_the_union_of_membership_subtrees(world):
    ward = world.users["ward"]
    scope = scope_for(user=ward)
    assert scope.contains(world.groups[3])
    assert scope.contains(world.legacy_groups[0])
    assert not scope.contains(world.other_ward)
    assert not scope.contains(world.city)


@pytest.mark.django_db
def test_district_union_sees_its_wards_only(world):
    scope = scope_for(user=world.users["district"])
    assert scope.contains(world.legacy_ward)
    assert not scope.contains(world.ward)


@pytest.mark.django_db
def test_admin_sees_everything_and_a_user_without_role_nothing(world, nobody):
    assert scope_for(user=world.users["admin"]).everything
    assert area_scope(user=nobody).count() == 0


@pytest.mark.django_db
def test_inactive_membership_grants_nothing(world):
    user = member(world.other_groups[0], Role.VOLUNTEER)
    user.memberships.update(is_active=False)
    assert scope_for(user=user).is_empty


@pytest.mark.django_db
def test_field_scope_ignores_coordinator_memberships(world):
    user = member(world.groups[0], Role.VOLUNTEER)
    from volunteers.models import Membership

    Membership.objects.create(user=user, role=Role.WARD_COORDINATOR, area=world.other_ward)
    field = field_scope_for(user=user)
    assert field.contains(world.groups[0])
    assert not field.contains(world.other_ward)
