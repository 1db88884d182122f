"""The one answer to "which areas may this user see and act on?".

Every query that returns area-bound data filters through `scope_for(user=...)`: a user sees the
subtrees of the areas where they hold an active membership, and an administrator everything.
The scope is computed once per user object (one query) and reused for the request.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from areas.models import Area

from .models import ROLE_RANK, Membership, Role, User


@dataclass(frozen=True)
class Scope:
    paths: tuple[str, ...]
    everything: bool = False

    def q(self, field: str = "area") -> Q:
        """A filter for rows whose `field` (a FK to Area, or "" for Area itself) is in scope."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        prefix = f"{field}__path__startswith" if field else "path__startswith"
        condition = Q()
        for path in self.paths:
            condition |= Q(**{prefix: path})
        return condition

    def areas(self) -> QuerySet[Area]:
        return Area.objects.filter(self.q(field=""))

    def contains(self, area: Area | None) -> bool:
        if area is None:
            return False
        return self.everything or any(area.path.startswith(path) for path in self.paths)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths


def _collapse(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path, so filters stay short."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return tuple(kept)


def user_roles(user: User) -> frozenset[str]:
    """The active roles a user holds anywhere, cached on the user object."""
    cached = getattr(user, "_tungnha_roles", None)
    if cached is None:
        if not user.is_authenticated or not user.is_active:
            cached = frozenset()
        else:
            # The user is active (checked above): Membership.objects.active()'s join on the
            # user's row would only repeat that, on every request.
            # The areas come with the roles (one join): `scope_for` then answers from them
            # without a query of its own, one statement fewer on every coordinator's page.
            cached = frozenset(role for role, _path in held_memberships(user))
            if user.is_superuser:
                cached |= {Role.ADMIN}
        user._tungnha_roles = cached
    return cached


def held_memberships(user: User) -> tuple[tuple[str, str], ...]:
    """(role, area path) of the user's active memberships, once per user object (the user is
    active: checked by the caller). The ORM's
    `Membership.objects.filter(user=user, is_active=True).values_list("role", "area__path")`,
    written out because every signed-in request with a role asks it (the sync endpoint's
    every visit), and building it cost several times running it."""
    cached = user.__dict__.get("_tungnha_held")
    if cached is not None:
        return cached
    q = connection.ops.quote_name
    membership, area = q(Membership._meta.db_table), q(Area._meta.db_table)
    sql = (
        f"SELECT m.{q('role')}, a.{q('path')} FROM {membership} m "  # noqa: S608
        f"JOIN {area} a ON a.{q('id')} = m.{q('area_id')} "
        f"WHERE m.{q('user_id')} = %s AND m.{q('is_active')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, True])
        cached = tuple((role, path) for role, path in cursor.fetchall())
    user.__dict__["_tungnha_held"] = cached
    return cached


def highest_role(user: User) -> str | None:
    roles = user_roles(user)
    return max(roles, key=lambda role: ROLE_RANK[role]) if roles else None


def scope_for(*, user: User, roles: Iterable[str] | None = None) -> Scope:
    """The areas `user` may see, optionally only through memberships of the given roles."""
    if not user.is_authenticated or not user.is_active:
        return Scope(paths=())
    wanted = frozenset(roles) if roles is not None else None
    if Role.ADMIN in user_roles(user) and (wanted is None or Role.ADMIN in wanted):
        return Scope(paths=(), everything=True)
    cache: dict = user.__dict__.setdefault("_tungnha_scopes", {})
    if wanted not in cache:
        held = user.__dict__.get("_tungnha_held")
        if held is not None:  # read with the roles (the user is active: checked above)
            paths = [path for role, path in held if wanted is None or role in wanted]
        else:
            memberships = Membership.objects.active().filter(user=user)
            if wanted is not None:
                memberships = memberships.filter(role__in=wanted)
            paths = list(memberships.values_list("area__path", flat=True))
        cache[wanted] = Scope(paths=_collapse(paths))
    return cache[wanted]


def area_scope(*, user: User, roles: Iterable[str] | None = None) -> QuerySet[Area]:
    """Areas inside the scope of `user`, as a QuerySet to filter or join on."""
    return scope_for(user=user, roles=roles).areas()


FIELD_ROLES = frozenset({Role.VOLUNTEER, Role.TEAM_LEADER})


def field_scope_for(*, user: User) -> Scope:
    """The areas a volunteer or team leader works in: their field memberships' subtrees.

    Area assignments (the coordinator workspace) narrow this; households assigned one by one are
    added by the households app on top of it.

    Ward by ward: where the user (or a team they serve in) holds active, unexpired assignments of
    residential groups, those groups are the scope in that ward; elsewhere, their memberships.
    """
    base = scope_for(user=user, roles=FIELD_ROLES)
    if base.everything or base.is_empty:
        return base
    from areas.models import Level

    from .models import Assignment

    assigned = (
        Assignment.objects.active()
        .for_field_user(user)
        .filter(area__isnull=False)
        .values_list("area__path", flat=True)
    )
    by_ward: dict[str, list[str]] = {}
    for path in assigned:  # residential groups: their ward is their parent
        by_ward.setdefault(path[: -Area.steplen], []).append(path)
    if not by_ward:
        return base
    held = (
        Membership.objects.active()
        .filter(user=user, role__in=FIELD_ROLES)
        .values_list("area__path", "area__level")
    )
    paths: list[str] = []
    for path, level in held:
        ward_path = {Level.GROUP: path[: -Area.steplen], Level.WARD: path}.get(level)
        if ward_path in by_ward:
            # A membership at the ward, or at one of its groups: that ward's assignments replace it.
            paths += by_ward[ward_path]
        else:
            paths.append(path)
    return Scope(paths=_collapse(paths)) if paths else base
