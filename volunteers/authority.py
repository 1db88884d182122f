"""The one authority check for every write: "may this user do ACTION on this object?".

Answered from the roles the user holds *at the object's area or above it* — never from a role
held somewhere else. A team leader of one ward who is only a volunteer in another acts as a
volunteer there; a document a city union filed at the city is edited or deleted only by someone
holding a role at the city (or an administrator), not by the wards below that can read it.

Each app says, in its AppConfig.ready(), how to find an object's area and owner and which roles
may do what (`authority_rule_register`); views call `authority_may` or `authority_require`.
Reading follows scoping.py; this module is for edits, deletions, approvals and exports.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from areas.models import Area

from .models import Membership, Role, User
from .scoping import Scope, held_memberships, scope_for, user_roles


class Action(StrEnum):
    EDIT = "edit"
    DELETE = "delete"
    APPROVE = "approve"
    EXPORT = "export"
    MANAGE = "manage"  # the coordinator workspace: teams, volunteers, invitations, imports


@dataclass(frozen=True)
class AuthorityRule:
    """How one kind of object answers the check.

    `roles`: for each action, the roles that allow it when held at the object's area or above.
    `owner`: whether the user made/runs the object; an owner may do `owner_actions` as long as
    they still hold some role at the object's area or above (a volunteer edits their own class).
    `granted`: allowed whatever the roles, for every action (a household given to a volunteer
    one by one, outside their areas).
    """

    area: Callable[[Any], Area | None]
    roles: Mapping[str, frozenset[str]]
    owner: Callable[[Any, User], bool] | None = None
    owner_actions: frozenset[str] = field(
        default_factory=lambda: frozenset({Action.EDIT, Action.DELETE})
    )
    granted: Callable[[Any, User], bool] | None = None


_RULES: dict[type, AuthorityRule] = {}


def authority_rule_register(model: type, rule: AuthorityRule) -> None:
    _RULES[model] = rule


def _rule_for(obj: object) -> AuthorityRule:
    for klass in type(obj).__mro__:
        if klass in _RULES:
            return _RULES[klass]
    raise LookupError(f"no authority rule for {type(obj).__name__}")


def _held(user: User) -> tuple[tuple[str, str], ...]:
    """(role, area path) of the user's active memberships, once per user object."""
    return held_memberships(user)


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and Role.ADMIN in user_roles(user))


def roles_at(*, user: User, area: Area) -> frozenset[str]:
    """The active roles `user` holds at `area` or at a unit above it (an administrator: all)."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if is_administrator(user):
        return frozenset(Role.values)
    return frozenset(role for role, path in _held(user) if area.path.startswith(path))


def authority_may(*, user: User, action: str, obj: object) -> bool:
    """May `user` do `action` on `obj`? From the roles held at the object's area or above."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_administrator(user):
        return True
    rule = _rule_for(obj)
    area = rule.area(obj)
    if area is None:
        return False
    held = roles_at(user=user, area=area)
    if held & rule.roles.get(action, frozenset()):
        return True
    if rule.granted is not None and rule.granted(obj, user):
        return True
    return bool(
        held and action in rule.owner_actions and rule.owner is not None and rule.owner(obj, user)
    )


def authority_require(*, user: User, action: str, obj: object) -> None:
    """authority_may, or PermissionDenied (403): nothing is changed on a refused request."""
    if not authority_may(user=user, action=action, obj=obj):
        raise PermissionDenied


def authority_scope(*, user: User, roles: Iterable[str]) -> Scope:
    """The areas where `user` holds one of `roles` (and everything below them): where a write
    that those roles allow may land. Lists of things to act on are filtered by it."""
    return scope_for(user=user, roles=roles)


def authority_over_account(*, user: User, account: User) -> bool:
    """Authority over every area where `account` holds (or held) a role: an administrator, or a
    coordinator above all of them. Needed to switch a deactivated account back on."""
    from .access import COORDINATION

    if is_administrator(user):
        return True
    areas = Area.objects.filter(
        pk__in=Membership.objects.filter(user=account).values("area_id")
    ).only("path")
    areas = list(areas)
    if account.is_superuser or not areas:
        return False
    return all(roles_at(user=user, area=area) & COORDINATION for area in areas)
