"""The role-aware menu. Each app adds its entries here; an entry shows only to its roles."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import ALL_ROLES, CITY_AND_UP, COORDINATION, FIELD
from .models import Role


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: frozenset[str]


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("home", _("Trang chủ"), ALL_ROLES),
    NavEntry("campaigns:list", _("Chiến dịch"), COORDINATION),
    NavEntry("households:list", _("Hộ gia đình"), FIELD | COORDINATION),
    NavEntry("households:my-visits", _("Lượt thăm của tôi"), FIELD),
    NavEntry("workspace:index", _("Điều phối phường"), COORDINATION),
    NavEntry("trainings:list", _("Lớp kỹ năng số"), ALL_ROLES),
    NavEntry("trainings:documents", _("Thư viện tài liệu"), ALL_ROLES),
    NavEntry("trainings:posts", _("Bài tuyên truyền"), ALL_ROLES),
    NavEntry("campaigns:my-team", _("Tổ của tôi"), frozenset({Role.TEAM_LEADER})),
    NavEntry("volunteers:team-list", _("Tổ CNS"), frozenset({Role.TEAM_LEADER})),
    NavEntry("areas:search", _("Địa bàn"), COORDINATION),
    NavEntry("admin:index", _("Quản trị"), CITY_AND_UP & {Role.ADMIN}),
]


def navigation_for(roles: frozenset[str]) -> list[dict]:
    """Menu entries whose URL exists and whose roles meet the user's."""
    entries = []
    for entry in NAV_ENTRIES:
        if not (entry.roles & roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # an app that has not wired this page yet
        entries.append({"url": url, "label": entry.label, "name": entry.url_name})
    return entries
