"""The access matrix's vocabulary. Each app lists its URL cases in tests/<app>/access_cases.py:

    CASES = [AccessCase("households:detail", lambda world, where: ({"pk": ...}, area))]

`where` is "own" (inside the demo ward Định Công) or "other" (Phường Hoàng Liệt); the builder
returns the URL kwargs and the area the object belongs to (None for pages without an object).
A URL with arguments and no case fails the suite, so no page ships without an access rule.
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
