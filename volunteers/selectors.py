"""Reads about users, memberships and teams, always within the asking user's scope."""

from django.db.models import Count, Q, QuerySet

from areas.models import Area

from .models import Membership, Team, User
from .scoping import scope_for


def membership_list_for(*, user: User) -> QuerySet[Membership]:
    """The user's own active roles, with their areas, for the home page and the menu."""
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("area", "team")
        .order_by("role", "area__path")
    )


def team_list_for(*, user: User) -> QuerySet[Team]:
    """Teams of the wards inside the user's scope, with their member counts."""
    scope = scope_for(user=user)
    return (
        Team.objects.filter(scope.q(field="ward"))
        .select_related("ward", "residential_group")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True)
        )
        .order_by("ward__path", "name")
    )


def child_areas_of(*, area: Area) -> QuerySet[Area]:
    """The units directly below `area`, in tree order (one query)."""
    return Area.objects.filter(path__startswith=area.path, depth=area.depth + 1).order_by("path")
