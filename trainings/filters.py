import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from areas.models import Area

from .models import Platform, SessionState, Topic


class _AreaFilterMixin:
    """Filter on an area and everything below it (the subtree)."""

    def filter_area(self, queryset: QuerySet, name: str, value: Area | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(area__path__startswith=value.path)


class AreaChoice(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label", _("Địa bàn"))
        kwargs.setdefault("method", "filter_area")
        kwargs.setdefault("queryset", Area.objects.none())
        super().__init__(*args, **kwargs)


class SessionFilter(_AreaFilterMixin, django_filters.FilterSet):
    area = AreaChoice()
    start_after = django_filters.DateFilter(
        label=_("Từ ngày"),
        field_name="start",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_before = django_filters.DateFilter(
        label=_("Đến ngày"),
        field_name="start",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    state = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=SessionState.choices)
    topic = django_filters.ModelChoiceFilter(
        label=_("Chủ đề"), field_name="topics", queryset=Topic.objects.none()
    )

    def __init__(self, *args, areas: QuerySet, topics: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = areas
        self.filters["topic"].queryset = topics


class DocumentFilter(_AreaFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm"), method="filter_q")
    topic = django_filters.ModelChoiceFilter(
        label=_("Chủ đề"), field_name="topics", queryset=Topic.objects.none()
    )

    def __init__(self, *args, topics: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["topic"].queryset = topics

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset


class PostFilter(_AreaFilterMixin, django_filters.FilterSet):
    area = AreaChoice()
    platform = django_filters.ChoiceFilter(label=_("Nền tảng"), choices=Platform.choices)
    published_after = django_filters.DateFilter(
        label=_("Từ ngày"),
        field_name="published_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        label=_("Đến ngày"),
        field_name="published_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, areas: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = areas
