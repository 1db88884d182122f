"""Volunteers of a ward: the list, adding one (or offering a role to an existing account),
switching one off or on, handing their areas over."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.forms import errors_to_form
from volunteers import assignments as svc
from volunteers.claims import claim_issue
from volunteers.views import claim_code_response

from ..filters import VolunteerFilter
from ..forms import (
    HandoverForm,
    VolunteerForm,
)
from ..models import (
    ExportKind,
)
from ..tables import VolunteerTable
from .common import coordinator, list_response


# --- Volunteers --------------------------------------------------------------------------------
@coordinator
def volunteer_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    filterset = VolunteerFilter(
        request.GET or None, queryset=svc.volunteers_of(ward=ward), ward=ward
    )
    table = VolunteerTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {
        "ward": ward,
        "filter": filterset,
        "table": table,
        "export_kind": ExportKind.VOLUNTEERS,
    }
    return list_response(request, "workspace/volunteer_list.html", "workspace/_table.html", context)


@coordinator
def volunteer_create(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    form = VolunteerForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            user, created = svc.volunteer_add(
                ward=ward, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if created:  # shown once: the code with which they set their own password
                code = claim_issue(user=user, created_by=request.user)
                return claim_code_response(request, volunteer=user, ward=ward, code=code)
            if user is None:  # an existing account: offered the role, neither shown nor changed
                messages.info(
                    request,
                    _(
                        "Số điện thoại này đã có tài khoản. Đã gửi lời mời nhận vai trò; người "
                        "đó sẽ thấy lời mời khi đăng nhập."
                    ),
                )
                return redirect("workspace:volunteer-list", ward_pk=ward.pk)
            messages.info(
                request, _("%(name)s đã ở phường; đã cập nhật tổ.") % {"name": user.full_name}
            )
            return redirect("workspace:volunteer-detail", pk=user.pk)
    return render(request, "workspace/volunteer_form.html", {"ward": ward, "form": form})


@coordinator
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    history = volunteer.assignments.filter(ward=ward).select_related("area", "handed_over_to")
    context = {
        "ward": ward,
        "volunteer": volunteer,
        "memberships": volunteer.memberships.filter(
            area__path__startswith=ward.path
        ).select_related("area", "team"),
        "active": [a for a in history.order_by("area__path") if a.is_active],
        "history": history.filter(released_at__isnull=False).order_by("-released_at")[:20],
        "handover_form": HandoverForm(ward=ward, exclude=volunteer),
    }
    return render(request, "workspace/volunteer_detail.html", context)


@coordinator
@require_POST
def volunteer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    if volunteer.pk == request.user.pk:
        raise Http404
    svc.volunteer_deactivate(ward=ward, volunteer=volunteer)
    messages.success(
        request,
        _("%(name)s đã ngừng hoạt động; địa bàn được giao đã được thu hồi.")
        % {"name": volunteer.full_name},
    )
    return redirect("workspace:volunteer-detail", pk=volunteer.pk)


@coordinator
@require_POST
def volunteer_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    try:
        svc.volunteer_reactivate(ward=ward, volunteer=volunteer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace:volunteer-detail", pk=volunteer.pk)
    messages.success(request, _("%(name)s hoạt động trở lại.") % {"name": volunteer.full_name})
    return redirect("workspace:volunteer-detail", pk=volunteer.pk)


@coordinator
@require_POST
def volunteer_handover(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    form = HandoverForm(request.POST, ward=ward, exclude=volunteer)
    if form.is_valid():
        try:
            moved = svc.assignment_handover(
                ward=ward,
                from_volunteer=volunteer,
                created_by=request.user,
                to_volunteer=form.cleaned_data["to_volunteer"],
                to_team=form.cleaned_data["to_team"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã bàn giao %(count)d địa bàn.") % {"count": len(moved)})
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Chưa chọn người nhận."))
    return redirect("workspace:volunteer-detail", pk=volunteer.pk)
