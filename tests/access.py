"""The access matrix's vocabulary. Each app lists its URL cases in tests/<app>/access_cases.py:

    CASES = [AccessCase("households:detail", lambda world, where: ({"pk": ...}, area))]

`where` is "own" (inside the demo ward Định Công) or "other" (Phường Hoàng Liệt); the builder
returns the URL kwargs and the area the object belongs to (None for pages without an object).
A URL with arguments and no case fails the suite, so no page ships without an access rule.

A case with `above=True` is also tried with `where="above"`: the object filed one level above
the roles of the demo ward (the city for what may be filed there, the ward for sessions), so
every role is tried against an object it can read but not necessarily change.

`writers` marks a page that changes its object (or shows the form that does): it is open only
to those holding one of `writers` at the object's area or above, or to the object's owner
(`owners[where]`, a demo user key) while they hold a role there. `reach="library"`: the object
is readable from the units below it too (a city's document reaches its wards).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from areas.models import Area
from volunteers.demo import DemoWorld

Builder = Callable[[DemoWorld, str], tuple[dict, Area | None]]


def no_object(world: DemoWorld, where: str) -> tuple[dict, Area | None]:
    return {}, None


@dataclass(frozen=True)
class AccessCase:
    url_name: str
    build: Builder = no_object
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    data: dict = field(default_factory=dict)
    above: bool = False
    writers: frozenset[str] | None = None
    owners: dict[str, str] = field(default_factory=dict)
    reach: str = "scope"
