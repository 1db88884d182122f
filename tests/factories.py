"""factory-boy factories for the foundation. Apps add theirs in tests/<app>/factories.py."""

import factory
from factory.django import DjangoModelFactory

from areas.models import Area, Kind, Level
from volunteers.models import Membership, Role, Team, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Tình nguyện viên {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    phone = factory.Sequence(lambda n: f"+8498{n:07d}")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def group_in(ward: Area, name: str) -> Area:
    """A new residential group below `ward` (tree insert through treebeard)."""
    ward.refresh_from_db()
    return Area.objects.add_child(
        ward,
        instance=Area(
            code=f"{ward.code}-t{ward.numchild + 1:03d}",
            era=ward.era,
            level=Level.GROUP,
            kind=Kind.RESIDENTIAL_GROUP,
            name=name,
            valid_from=ward.valid_from,
            valid_to=ward.valid_to,
        ),
    )


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Tổ CNS thử {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.VOLUNTEER


def member(area: Area, role: str = Role.VOLUNTEER, team: Team | None = None, **user_fields) -> User:
    """A new user holding `role` at `area`."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, role=role, area=area, team=team)
    return user
