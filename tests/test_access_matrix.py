"""Every project URL × every role × own area / another area.

Generated from the URL conf: a URL without an access rule on its view, or with arguments but no
case in tests/<app>/access_cases.py, fails here.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from volunteers.scoping import scope_for

from .access import AccessCase

PROJECT_NAMESPACES = {"areas", "volunteers", "workspace", "households", "trainings", "campaigns"}
ROOT_NAMES = {"home", "set-language"}
APPS_WITH_CASES = ["areas", "volunteers", "workspace", "households", "trainings", "campaigns"]
ROLE_KEYS = ["anonymous", "nobody", "volunteer", "leader", "ward", "district", "city", "admin"]


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


def expected_status(rule, user, area, case: AccessCase) -> tuple[int, ...]:
    if rule == "public":
        return case.ok
    if user is None:
        return (302,)
    if rule == "signed_in":
        return case.ok
    from volunteers.scoping import user_roles

    if not (user_roles(user) & rule):
        return (403,)
    if area is None or scope_for(user=user).contains(area):
        return case.ok
    return (404,)


def matrix() -> list[tuple[str, str, str]]:
    """Pages without an object are checked once per role; pages with one, in both areas."""
    rows = []
    for name, pattern in sorted(URLS.items()):
        places = ["own", "other"] if pattern.pattern.regex.groups else ["own"]
        rows += [(name, role, where) for role in ROLE_KEYS for where in places]
    return rows


@pytest.mark.parametrize(("url_name", "role_key", "where"), matrix())
def test_access_matrix(client, world, nobody, url_name, role_key, where):
    pattern = URLS[url_name]
    case = case_for(url_name)
    kwargs, area = case.build(world, where)
    user = None
    if role_key == "nobody":
        user = nobody
    elif role_key != "anonymous":
        user = world.users[role_key]
    if user is not None:
        client.force_login(user)
    url = reverse(url_name, kwargs=kwargs)
    response = getattr(client, case.method)(url, data=case.data)
    expected = expected_status(pattern.callback.access_roles, user, area, case)
    assert response.status_code in expected, (
        f"{url_name} as {role_key} ({where}): got {response.status_code}, expected {expected}"
    )
