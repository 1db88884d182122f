"""Household and visit tables of the coordinator workspace."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ..models import Household, Visit


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
        return record.address or "—"


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
