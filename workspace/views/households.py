"""Workspace pages over households and visits (mounted in volunteers/workspace_urls.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from households.models import Visit, VisitStatus
from households.review import review_decide, review_queue, review_reasons, review_scan
from volunteers.assignments import coordinator_scope, ward_for
from volunteers.authority import Action, authority_require

from ..filters import HouseholdFilter, VisitFilter
from ..models import ExportKind
from ..selectors import coverage_by_group, ward_households, ward_visits
from ..tables import HouseholdTable, VisitTable
from .common import coordinator, list_response


def _list(request: HttpRequest, context: dict) -> HttpResponse:
    return list_response(request, "workspace/filtered_list.html", "workspace/_table.html", context)


@coordinator
def household_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = ward_for(user=request.user, pk=ward_pk)
    filterset = HouseholdFilter(request.GET or None, queryset=ward_households(ward=ward), ward=ward)
    table = HouseholdTable(filterset.qs.order_by("area__path", "street", "alley", "house_number"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {
        "ward": ward,
        "filter": filterset,
        "table": table,
        "title": _("Hộ gia đình"),
        "export_kind": ExportKind.HOUSEHOLDS,
        "import_kind": "households",
    }
    return _list(request, context)


@coordinator
def visit_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = ward_for(user=request.user, pk=ward_pk)
    filterset = VisitFilter(request.GET or None, queryset=ward_visits(ward=ward), ward=ward)
    table = VisitTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {
        "ward": ward,
        "filter": filterset,
        "table": table,
        "title": _("Lượt thăm"),
        "export_kind": ExportKind.VISITS,
        "import_kind": "visits",
    }
    return _list(request, context)


@coordinator
def coverage(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = ward_for(user=request.user, pk=ward_pk)
    rows = coverage_by_group(ward=ward)
    context = {
        "ward": ward,
        "rows": rows,
        "uncovered": [row for row in rows if not row["covered_by"]],
    }
    return render(request, "workspace/coverage.html", context)


@coordinator
def review_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = ward_for(user=request.user, pk=ward_pk)
    review_scan(ward=ward)
    visits = list(review_queue(ward=ward)[:100])
    reasons = review_reasons(visits=visits)
    items = [{"visit": visit, "reasons": reasons.get(visit.pk, [])} for visit in visits]
    return render(request, "workspace/review.html", {"ward": ward, "items": items})


@coordinator
@require_POST
def review_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = coordinator_scope(user=request.user)
    visit = get_object_or_404(
        Visit.objects.filter(scope.q(field="household__area")).select_related("household__area"),
        pk=pk,
    )
    authority_require(user=request.user, action=Action.APPROVE, obj=visit)
    ward_path = visit.household.area.path[: -visit.household.area.steplen]
    approve = request.POST.get("decision") == "approve"
    if visit.status == VisitStatus.PENDING_REVIEW:
        visit = review_decide(visit=visit, reviewer=request.user, approve=approve)
    outcome = _("Đã xác nhận lượt thăm.") if approve else _("Đã loại lượt thăm.")
    if request.htmx:  # the card stays, saying what was decided
        return render(request, "workspace/_review_decided.html", {"visit": visit})
    messages.success(request, outcome)
    from areas.models import Area

    ward = Area.objects.get(path=ward_path)
    return redirect("workspace:review", ward_pk=ward.pk)
