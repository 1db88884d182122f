"""Pre-2025 residential groups still in use in a ward, and carrying them over in one step."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from volunteers import assignments as svc

from ..legacy_groups import legacy_groups_carry_over, legacy_groups_for
from .common import coordinator


@coordinator
def legacy_group_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    groups = legacy_groups_for(ward=ward)
    context = {
        "ward": ward,
        "legacy_groups": groups,
        "any_approximate": any(item.approximate for item in groups),
    }
    return render(request, "workspace/legacy_groups.html", context)


@coordinator
@require_POST
def legacy_group_carry_over(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    try:
        chosen = [int(value) for value in request.POST.getlist("group")]
    except ValueError:
        chosen = []
    try:
        done = legacy_groups_carry_over(ward=ward, group_ids=chosen, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Đã chuyển %(groups)d tổ dân phố cũ sang %(ward)s: %(households)d hộ, "
                "%(visits)d lượt thăm được tính lại."
            )
            % {
                "groups": done.groups,
                "ward": ward.name,
                "households": done.households,
                "visits": done.visits,
            },
        )
    return redirect("workspace:legacy-groups", ward_pk=ward.pk)
