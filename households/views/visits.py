"""A volunteer's own visits: the list, a correction, a withdrawal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import errors_to_form
from volunteers.access import FIELD, role_required

from ..forms import VisitForm
from ..selectors import (
    visit_edit_history,
    visit_get_for,
    visit_recent_for,
    visit_teammate_choices,
    volunteer_totals,
)
from ..services import (
    visit_can_edit,
    visit_can_withdraw,
    visit_edit,
    visit_withdraw,
)


@role_required(FIELD)
def my_visits(request: HttpRequest) -> HttpResponse:
    visits = list(visit_recent_for(user=request.user))
    for visit in visits:
        visit.editable = visit_can_edit(visit=visit, user=request.user)
        visit.withdrawable = visit_can_withdraw(visit=visit, user=request.user)
    context = {"totals": volunteer_totals(user=request.user), "visits": visits, "field": True}
    return render(request, "households/my_visits.html", context)


@role_required(FIELD)
def visit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for(user=request.user, pk=pk)
    if not visit_can_edit(visit=visit, user=request.user):
        raise Http404
    initial = {name: getattr(visit, name) for name in VisitForm.base_fields if name != "teammates"}
    initial["teammates"] = list(visit.teammates.values_list("pk", flat=True))
    form = VisitForm(
        request.POST or None,
        initial=initial,
        teammate_choices=visit_teammate_choices(visit=visit),
    )
    form.fields["status_to"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            visit_edit(visit=visit, editor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã sửa lượt thăm."))
            return redirect("households:my-visits")
    context = {
        "visit": visit,
        "form": form,
        "edits": visit_edit_history(visit=visit),
        "withdrawable": visit_can_withdraw(visit=visit, user=request.user),
    }
    return render(request, "households/visit_edit.html", context)


@role_required(FIELD)
@require_POST
def visit_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A mistaken visit taken back by its author (the row stays, audited; counts move back)."""
    visit = visit_get_for(user=request.user, pk=pk)
    if not visit_can_withdraw(visit=visit, user=request.user):
        raise Http404
    visit_withdraw(visit=visit, user=request.user)
    messages.success(request, _("Đã rút lại lượt thăm: lượt này không còn được tính."))
    return redirect("households:my-visits")
