"""Every project URL × every role × own area / another area (/ one level above).

Generated from the URL conf: a URL without an access rule on its view, or with arguments but no
case in tests/<app>/access_cases.py, fails here.

Besides one user per role, two users hold different roles in two areas (issue 11): a team
leader in Hoàng Liệt who is only a volunteer in Định Công, and the coordinator of Hoàng Liệt who
is a volunteer in Định Công. What they may do in each ward is what the role they hold *there*
(or above) allows, never a role held in the other ward. The expectation below is computed from
the memberships directly, not through the code under test.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import member
from volunteers.models import Membership, Role
from volunteers.scoping import scope_for, user_roles

from .access import AccessCase

PROJECT_NAMESPACES = {"areas", "volunteers", "workspace", "households", "trainings", "campaigns"}
ROOT_NAMES = {"home", "set-language"}
APPS_WITH_CASES = ["areas", "volunteers", "workspace", "households", "trainings", "campaigns"]
ROLE_KEYS = ["anonymous", "nobody", "volunteer", "leader", "ward", "district", "city", "admin"]
MIXED_KEYS = ["leader_there", "coordinator_there"]


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry


def project_urls() -> dict[str, URLPattern]:
    found = {}
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace in PROJECT_NAMESPACES:
            found[f"{namespace}:{pattern.name}"] = pattern
        elif namespace is None and pattern.name in ROOT_NAMES:
            found[pattern.name] = pattern
    return found


def declared_cases() -> dict[str, AccessCase]:
    cases = {}
    for app in APPS_WITH_CASES:
        try:
            module = importlib.import_module(f"tests.{app}.access_cases")
        except ModuleNotFoundError:
            continue
        for case in module.CASES:
            cases[case.url_name] = case
    return cases


URLS = project_urls()
CASES = declared_cases()


def case_for(name: str) -> AccessCase:
    if name in CASES:
        return CASES[name]
    return AccessCase(name)


def test_every_project_view_declares_an_access_rule():
    missing = [name for name, p in URLS.items() if not hasattr(p.callback, "access_roles")]
    assert not missing, f"views without role_required/signed_in/public: {missing}"


def test_every_url_with_arguments_has_an_access_case():
    missing = [name for name, p in URLS.items() if p.pattern.regex.groups and name not in CASES]
    assert not missing, f"add these to tests/<app>/access_cases.py: {missing}"


def _held_at(user, area) -> frozenset[str]:
    """Roles `user` holds at `area` or above (an administrator: every role)."""
    memberships = Membership.objects.filter(user=user, is_active=True).values_list(
        "role", "area__path"
    )
    if user.is_superuser or any(role == Role.ADMIN for role, _path in memberships):
        return frozenset(Role.values)
    return frozenset(role for role, path in memberships if area.path.startswith(path))


def _readable(user, area, case: AccessCase) -> bool:
    scope = scope_for(user=user)
    if scope.contains(area):
        return True
    # The library: what a unit above files reaches the units below it.
    return case.reach == "library" and any(path.startswith(area.path) for path in scope.paths)


def expected_status(rule, user, area, case: AccessCase, owner=None) -> tuple[int, ...]:
    if rule == "public":
        return case.ok
    if user is None:
        return (302,)
    if rule == "signed_in":
        return case.ok
    if not (user_roles(user) & rule):
        return (403,)
    if area is None:
        return case.ok
    held = _held_at(user, area)
    if case.writers is not None:
        allowed = bool(held & rule) and bool(
            held & case.writers or (owner is not None and owner.pk == user.pk)
        )
    else:
        allowed = bool(held & rule) or (case.reach == "library" and _readable(user, area, case))
    if allowed:
        return case.ok
    # Seen through a role this page does not take there: refused (403) or not found (404).
    return (403, 404) if _readable(user, area, case) else (404,)


def matrix() -> list[tuple[str, str, str]]:
    """Pages without an object are checked once per role; pages with one, in both areas (and
    one level above where the case says so). The mixed users are tried on every page."""
    rows = []
    for name, pattern in sorted(URLS.items()):
        places = ["own", "other"] if pattern.pattern.regex.groups else ["own"]
        if pattern.pattern.regex.groups and case_for(name).above:
            places.append("above")
        rows += [(name, role, where) for role in ROLE_KEYS + MIXED_KEYS for where in places]
    return rows


@pytest.fixture
def mixed_users(world) -> dict:
    """Two roles in two wards (see the module docstring)."""
    leader = member(world.other_groups[0], Role.TEAM_LEADER, full_name="Tổ trưởng nơi khác")
    Membership.objects.create(user=leader, role=Role.VOLUNTEER, area=world.groups[0])
    coordinator = member(world.other_ward, Role.WARD_COORDINATOR, full_name="Cán bộ nơi khác")
    Membership.objects.create(user=coordinator, role=Role.VOLUNTEER, area=world.groups[0])
    return {"leader_there": leader, "coordinator_there": coordinator}


@pytest.mark.parametrize(("url_name", "role_key", "where"), matrix())
def test_access_matrix(client, world, nobody, mixed_users, url_name, role_key, where):
    pattern = URLS[url_name]
    case = case_for(url_name)
    kwargs, area = case.build(world, where)
    user = None
    if role_key == "nobody":
        user = nobody
    elif role_key in mixed_users:
        user = mixed_users[role_key]
    elif role_key != "anonymous":
        user = world.users[role_key]
    if user is not None:
        client.force_login(user)
    owner_key = case.owners.get(where)
    owner = world.users[owner_key] if owner_key else None
    url = reverse(url_name, kwargs=kwargs)
    response = getattr(client, case.method)(url, data=case.data)
    expected = expected_status(pattern.callback.access_roles, user, area, case, owner)
    assert response.status_code in expected, (
        f"{url_name} as {role_key} ({where}): got {response.status_code}, expected {expected}"
    )
