"""Workspace tables (django-tables2): sortable, paginated, narrow enough for a phone."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.phones import display_phone
from households.models import Household, Visit
from volunteers.models import Team, User


class VolunteerTable(tables.Table):
    full_name = tables.Column(verbose_name=_("Họ và tên"), linkify=False)
    phone = tables.Column(verbose_name=_("Số điện thoại"))
    teams = tables.Column(verbose_name=_("Tổ CNS"), empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("Trạng thái"), empty_values=(), orderable=False)

    class Meta:
        model = User
        fields = ["full_name", "phone"]
        sequence = ["full_name", "phone", "teams", "status"]
        attrs = {"class": "list", "id": "volunteer-table"}
        per_page = 25

    def render_full_name(self, record: User, value: str) -> str:
        url = reverse("workspace:volunteer-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_phone(self, value: str) -> str:
        return display_phone(value)

    def render_teams(self, record: User) -> str:
        names = sorted({m.team.name for m in record.ward_memberships if m.team and m.is_active})
        return ", ".join(names) or "—"

    def render_status(self, record: User) -> str:
        active = record.is_active and any(m.is_active for m in record.ward_memberships)
        if active:
            return format_html('<span class="badge ok">{}</span>', _("Đang hoạt động"))
        return format_html('<span class="badge bad">{}</span>', _("Ngừng hoạt động"))


class TeamTable(tables.Table):
    name = tables.Column(verbose_name=_("Tên tổ"))
    residential_group = tables.Column(
        verbose_name=_("Tổ dân phố"), accessor="residential_group__name", default="—"
    )
    member_count = tables.Column(verbose_name=_("Thành viên"), attrs={"td": {"class": "num"}})
    assignment_count = tables.Column(
        verbose_name=_("Địa bàn được giao"), attrs={"td": {"class": "num"}}
    )

    class Meta:
        model = Team
        fields = ["name"]
        sequence = ["name", "residential_group", "member_count", "assignment_count"]
        attrs = {"class": "list", "id": "team-table"}
        per_page = 25

    def render_name(self, record: Team, value: str) -> str:
        url = reverse("workspace:team-detail", args=[record.pk])
        badge = (
            ""
            if record.is_active
            else format_html(' <span class="badge bad">{}</span>', _("Ngừng hoạt động"))
        )
        return format_html('<a href="{}">{}</a>{}', url, value, badge)


class HouseholdTable(tables.Table):
    address = tables.Column(
        verbose_name=_("Địa chỉ"), empty_values=(), order_by=("street", "alley", "house_number")
    )
    area = tables.Column(verbose_name=_("Tổ dân phố"), accessor="area__name", order_by="area__path")
    members = tables.Column(verbose_name=_("Nhân khẩu"), attrs={"td": {"class": "num"}})
    digital_status = tables.Column(verbose_name=_("Tình trạng số"))
    last_visit_at = tables.DateTimeColumn(
        verbose_name=_("Lần thăm gần nhất"), format="d/m/Y", default="—"
    )

    class Meta:
        model = Household
        fields = ["address", "area", "members", "digital_status", "last_visit_at"]
        attrs = {"class": "list", "id": "household-table"}

    def render_address(self, record: Household) -> str:
        # The way to the household's own data (a request to see or erase it), from the phone.
        url = reverse("workspace:household-data", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.address or "—")


class VisitTable(tables.Table):
    day = tables.DateColumn(verbose_name=_("Ngày"), format="d/m/Y")
    volunteer = tables.Column(verbose_name=_("Tình nguyện viên"), accessor="volunteer__full_name")
    household = tables.Column(
        verbose_name=_("Hộ"), accessor="household__address", order_by="household__street"
    )
    result = tables.Column(verbose_name=_("Kết quả"))
    status = tables.Column(verbose_name=_("Trạng thái"))

    class Meta:
        model = Visit
        fields = ["day", "volunteer", "household", "result", "status"]
        attrs = {"class": "list", "id": "visit-table"}
        order_by = ("-day",)
