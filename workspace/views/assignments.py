"""Which residential groups (or households) a volunteer or a team covers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_to_form
from households.models import Household
from volunteers import assignments as svc

from ..forms import (
    AssignmentForm,
)
from .common import coordinator


# --- Assignments -------------------------------------------------------------------------------
@coordinator
def assignment_create(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    initial = {
        "groups": request.GET.getlist("group"),
        "households": request.GET.getlist("household"),
    }
    search = request.GET.get("q", "").strip()
    form = AssignmentForm(request.POST or None, ward=ward, initial=initial, household_search=search)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = svc.assignment_create(
                ward=ward,
                created_by=request.user,
                areas=data["groups"],
                household_ids=[household.pk for household in data["households"]],
                volunteer=data["volunteer"],
                team=data["team"],
                valid_until=data["valid_until"],
                campaign_id=data["campaign"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _assigned_message(data, made))
            return redirect("workspace:assignments", ward_pk=ward.pk)
    context = {"ward": ward, "form": form, "search": search}
    return render(request, "workspace/assignment_form.html", context)


def _assigned_message(data: dict, made: list) -> str:
    groups = sum(1 for row in made if row.area_id is not None)
    households = len(made) - groups
    message = _("Đã giao %(groups)d tổ dân phố và %(households)d hộ.") % {
        "groups": groups,
        "households": households,
    }
    renewed_groups = len(data["groups"]) - groups
    renewed_households = len(data["households"]) - households
    if renewed_groups:
        message += " " + _("%(count)d tổ đã giao trước đó: đã cập nhật ngày kết thúc.") % {
            "count": renewed_groups
        }
    if renewed_households:
        message += " " + _("%(count)d hộ đã giao trước đó: đã cập nhật ngày kết thúc.") % {
            "count": renewed_households
        }
    return message


@coordinator
def assignment_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    assignments = list(svc.assignments_of(ward=ward))
    # A household given one by one shows its address (one query for all of them).
    ids = [row.household_id for row in assignments if row.household_id is not None]
    households = Household.objects.filter(pk__in=ids, area__path__startswith=ward.path)
    addresses = {household.pk: str(household) for household in households}
    for row in assignments:
        row.place = row.area.name if row.area_id else addresses.get(row.household_id, "")
    context = {
        "ward": ward,
        "assignments": assignments,
        "uncovered": svc.groups_uncovered(ward=ward),
    }
    return render(request, "workspace/assignment_list.html", context)


@coordinator
@require_POST
def assignment_release(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = svc.assignment_for(user=request.user, pk=pk)
    svc.assignment_release(assignment=assignment)
    messages.success(request, _("Đã thu hồi phân công."))
    return redirect("workspace:assignments", ward_pk=assignment.ward_id)
