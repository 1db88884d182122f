"""What each role sees first. Apps register a section per role; home shows the user's sections.

A section is a function (user) -> dict | None rendered with its own template, so the campaigns,
households and trainings apps can fill a role's home page without this module importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class HomeSection:
    template: str
    roles: frozenset[str]
    context: Callable[[User], dict | None]
    order: int = 50


HOME_SECTIONS: list[HomeSection] = []


def register_home_section(section: HomeSection) -> None:
    HOME_SECTIONS.append(section)
    HOME_SECTIONS.sort(key=lambda item: item.order)


def home_sections_for(*, user: User, roles: frozenset[str]) -> list[dict]:
    sections = []
    for section in HOME_SECTIONS:
        if not (section.roles & roles):
            continue
        context = section.context(user)
        if context is not None:
            sections.append({"template": section.template, **context})
    return sections
