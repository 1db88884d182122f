"""The coordinator's lists of people: volunteers and teams of a ward, as export rows."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from areas.models import Area
from core.phones import display_phone
from core.spreadsheets.writer import CHUNK, ExportSpec
from volunteers.assignments import teams_of, volunteers_of

from ..filters import VolunteerFilter
from ..resources import TeamSheet, VolunteerSheet


def volunteer_rows(*, ward: Area, filters: dict) -> ExportSpec:
    queryset = VolunteerFilter(filters, queryset=_volunteers(ward), ward=ward).qs

    def rows() -> Iterator[list]:
        for user in queryset.iterator(chunk_size=CHUNK):
            memberships = user.ward_memberships
            yield [
                user.full_name,
                display_phone(user.phone) if user.phone else "",
                user.email or "",
                ", ".join(sorted({m.team.name for m in memberships if m.team})),
                ", ".join(sorted({m.area.name for m in memberships})),
                _("Đang hoạt động")
                if user.is_active and any(m.is_active for m in memberships)
                else _("Ngừng hoạt động"),
            ]

    headers = VolunteerSheet.export_headers()
    return ExportSpec(headers, queryset.count(), rows())


def _volunteers(ward: Area):
    return volunteers_of(ward=ward)


def team_rows(*, ward: Area, filters: dict) -> ExportSpec:
    queryset = teams_of(ward=ward)

    def rows() -> Iterator[list]:
        for team in queryset:
            yield [
                team.name,
                team.residential_group.name if team.residential_group else "",
                team.member_count,
                team.assignment_count,
                _("Đang hoạt động") if team.is_active else _("Ngừng hoạt động"),
            ]

    headers = TeamSheet.export_headers()
    return ExportSpec(headers, queryset.count(), rows())
