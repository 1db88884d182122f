"""Which residential groups (or households) a volunteer or a team covers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_to_form
from volunteers import assignments as svc

from ..forms import (
    AssignmentForm,
)
from .common import coordinator


# --- Assignments -------------------------------------------------------------------------------
@coordinator
def assignment_create(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    initial = {"groups": request.GET.getlist("group")}
    form = AssignmentForm(request.POST or None, ward=ward, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = svc.assignment_create(
                ward=ward,
                created_by=request.user,
                areas=data["groups"],
                volunteer=data["volunteer"],
                team=data["team"],
                valid_until=data["valid_until"],
                campaign_label=data["campaign_label"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            renewed = len(data["groups"]) - len(made)
            message = _("Đã giao %(count)d tổ dân phố.") % {"count": len(made)}
            if renewed:
                message += " " + _("%(count)d tổ đã giao trước đó: đã cập nhật ngày kết thúc.") % {
                    "count": renewed
                }
            messages.success(request, message)
            return redirect("workspace:assignments", ward_pk=ward.pk)
    return render(request, "workspace/assignment_form.html", {"ward": ward, "form": form})


@coordinator
def assignment_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    context = {
        "ward": ward,
        "assignments": svc.assignments_of(ward=ward),
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
