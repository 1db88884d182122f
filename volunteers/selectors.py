"""Reads about users, memberships and teams, always within the asking user's scope."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from areas.models import Area

from .models import COORDINATOR_ROLES, Assignment, Membership, Role, Team, User
from .scoping import scope_for


def membership_list_for(*, user: User) -> QuerySet[Membership]:
    """The user's own active roles, with their areas, for the home page and the menu."""
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("area", "team")
        .order_by("role", "area__path")
    )


def _own_team_ids(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user, team__isnull=False).values("team_id")


def team_list_for(*, user: User) -> QuerySet[Team]:
    """Teams of the wards inside the user's scope, and the teams the user serves in (a team
    leader's role sits at a residential group, below the ward a team belongs to), with their
    member counts."""
    scope = scope_for(user=user)
    teams = Team.objects.all()
    if not scope.everything:  # (an empty Q() would swallow the OR below)
        teams = teams.filter(scope.q(field="ward") | Q(pk__in=_own_team_ids(user=user)))
    return (
        teams.select_related("ward", "residential_group")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True)
        )
        .order_by("ward__path", "name")
    )


def team_led_by(*, user: User) -> QuerySet[Team]:
    """Active teams in which `user` holds an active team-leader role (one query)."""
    led = Membership.objects.active().filter(user=user, role=Role.TEAM_LEADER, team__isnull=False)
    return Team.objects.filter(pk__in=led.values("team_id"), is_active=True).order_by("name")


def team_get_for(*, user: User, pk: int) -> Team:
    """A team its leader leads, or one of a ward in a coordinator's scope; 404 otherwise (a
    leader never opens another team, a plain member never opens the team's page)."""
    teams = Team.objects.select_related("ward", "residential_group")
    coordination = scope_for(user=user, roles=COORDINATOR_ROLES)
    if not coordination.everything:  # (an empty Q() would swallow the OR below)
        led = Q(pk__in=team_led_by(user=user).values("pk"))
        teams = teams.filter(led | coordination.q(field="ward") if coordination.paths else led)
    return get_object_or_404(teams, pk=pk)


@dataclass(frozen=True)
class TeamReach:
    """Where a team works: the paths of its residential groups and households given one by one."""

    paths: tuple[str, ...]
    household_ids: frozenset[int]


def team_reach_of(*, team: Team) -> TeamReach:
    """The team's active group assignments and its own residential group; the whole ward when
    neither is set. Households assigned to the team one by one are added (one query)."""
    paths: set[str] = set()
    household_ids: set[int] = set()
    rows = Assignment.objects.active().filter(team=team).values_list("area__path", "household_id")
    for path, household_id in rows:
        if path:
            paths.add(path)
        elif household_id:
            household_ids.add(household_id)
    if team.residential_group_id:
        paths.add(team.residential_group.path)
    if not paths and not household_ids:
        paths.add(team.ward.path)
    kept = [path for path in sorted(paths) if not any(path.startswith(p) for p in paths - {path})]
    return TeamReach(paths=tuple(kept), household_ids=frozenset(household_ids))


def team_members_of(*, team: Team) -> list[User]:
    """The team's active members (its leader included), by name, each once (one query)."""
    member_ids = Membership.objects.active().filter(team=team).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).order_by("full_name", "pk"))


def child_areas_of(*, area: Area) -> QuerySet[Area]:
    """The units directly below `area`, in tree order (one query)."""
    return Area.objects.filter(path__startswith=area.path, depth=area.depth + 1).order_by("path")
