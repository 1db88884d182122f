"""Filters of the coordinator's household and visit lists (scoped querysets come in)."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from volunteers.assignments import volunteers_of, ward_groups_of
from volunteers.models import User

from ..models import Household, Visit, VisitStatus


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm địa chỉ, tên"), method="search")
    area = django_filters.ModelChoiceFilter(
        label=_("Tổ dân phố"), queryset=Area.objects.none(), empty_label=_("Tất cả")
    )
    visited = django_filters.ChoiceFilter(
        label=_("Đã thăm"),
        choices=[("yes", _("Đã thăm")), ("no", _("Chưa thăm"))],
        method="by_visited",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Household
        fields: list[str] = []

    def __init__(self, *args, ward: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = ward_groups_of(ward=ward)
        self.filters["area"].field.label_from_instance = lambda area: area.name

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value)

    def by_visited(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(last_visit_at__isnull=False)
        if value == "no":
            return queryset.filter(last_visit_at__isnull=True)
        return queryset


class VisitFilter(django_filters.FilterSet):
    volunteer = django_filters.ModelChoiceFilter(
        label=_("Tình nguyện viên"), queryset=User.objects.none(), empty_label=_("Tất cả")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Tổ dân phố"),
        queryset=Area.objects.none(),
        field_name="household__area",
        empty_label=_("Tất cả"),
    )
    date_from = django_filters.DateFilter(
        label=_("Từ ngày"),
        field_name="day",
        lookup_expr="gte",
    )
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="day", lookup_expr="lte")
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=VisitStatus.choices, empty_label=_("Tất cả")
    )

    class Meta:
        model = Visit
        fields: list[str] = []

    def __init__(self, *args, ward: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["volunteer"].queryset = volunteers_of(ward=ward)
        self.filters["area"].queryset = ward_groups_of(ward=ward)
        self.filters["area"].field.label_from_instance = lambda area: area.name
        for name in ("date_from", "date_to"):
            self.filters[name].field.widget.input_type = "date"
