"""Filters of the workspace lists (django-filter), always applied to an already scoped queryset."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from households.models import Household, Visit, VisitStatus
from volunteers.assignments import volunteers_of, ward_groups_of
from volunteers.models import FIELD_ROLES, Membership, Team, User


class VolunteerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm tên, số điện thoại"), method="search")
    team = django_filters.ModelChoiceFilter(
        label=_("Tổ CNS"), queryset=Team.objects.none(), method="by_team", empty_label=_("Tất cả")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Tổ dân phố"),
        queryset=Area.objects.none(),
        method="by_area",
        empty_label=_("Tất cả"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[("active", _("Đang hoạt động")), ("inactive", _("Ngừng hoạt động"))],
        method="by_status",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, ward: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ward = ward
        self.filters["team"].queryset = Team.objects.filter(ward=ward)
        self.filters["area"].queryset = ward_groups_of(ward=ward)
        self.filters["area"].field.label_from_instance = lambda area: area.name

    def _memberships(self, **conditions) -> Exists:
        return Exists(
            Membership.objects.filter(
                user=OuterRef("pk"),
                role__in=FIELD_ROLES,
                area__path__startswith=self.ward.path,
                **conditions,
            )
        )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        digits = "".join(ch for ch in value if ch.isdigit())
        condition = Q(full_name__icontains=value.strip()) | Q(email__icontains=value.strip())
        if len(digits) >= 3:
            condition |= Q(phone__contains=digits.lstrip("0"))
        return queryset.filter(condition)

    def by_team(self, queryset: QuerySet, name: str, value: Team) -> QuerySet:
        return queryset.filter(self._memberships(team=value)) if value else queryset

    def by_area(self, queryset: QuerySet, name: str, value: Area) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(self._memberships(area__path__startswith=value.path))

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        active = self._memberships(is_active=True)
        if value == "active":
            return queryset.filter(active, is_active=True)
        if value == "inactive":
            return queryset.filter(~active | Q(is_active=False))
        return queryset


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tên tổ"), field_name="name", lookup_expr="icontains")
    is_active = django_filters.BooleanFilter(label=_("Đang hoạt động"))

    class Meta:
        model = Team
        fields: list[str] = []


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
