"""The sign-off's doors: a ward submits, the level above approves, returns or unlocks, the city
closes or reopens — for a campaign, or for a month outside campaigns. Each is a POST that
calls one service and comes back to the page it was sent from with what happened."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from areas.models import LEGACY_LAST_DAY, REFORM_DATE, Area, Era, Level
from volunteers.access import COORDINATION, role_required

from .models import Campaign, SignOff, SignOffState, month_bounds
from .selectors import (
    Row,
    campaign_area_for,
    campaign_get_for,
    child_areas,
    make_cells,
    totals_by_area,
)
from .selectors.scope import coordination_scope
from .selectors.signoffs import signoff_panel, signoff_states
from .signoff import (
    period_close,
    period_reopen,
    signoff_approve,
    signoff_return,
    signoff_submit,
    signoff_unlock,
)

DONE = {
    "submit": gettext_lazy("Đã gửi số liệu lên cấp trên: số liệu của kỳ này đã được khóa."),
    "close": gettext_lazy("Đã khóa sổ kỳ báo cáo."),
    "approve": gettext_lazy("Đã duyệt số liệu."),
    "return": gettext_lazy("Đã trả lại số liệu kèm lý do: đơn vị sửa và gửi lại."),
    "unlock": gettext_lazy("Đã mở khóa số liệu kèm lý do."),
    "reopen": gettext_lazy("Đã mở lại kỳ báo cáo."),
}


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _run(request: HttpRequest, action: str, call) -> None:
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(DONE[action]))


def _for_period(request: HttpRequest, area: Area, **period) -> None:
    action = request.POST.get("action", "")
    calls = {
        "submit": lambda: signoff_submit(user=request.user, area=area, **period),
        "close": lambda: period_close(user=request.user, area=area, **period),
    }
    if action not in calls:
        messages.error(request, _("Thao tác không hợp lệ."))
        return
    _run(request, action, calls[action])


@role_required(COORDINATION)
@require_POST
def signoff_campaign(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    _for_period(request, area, campaign=campaign)
    return redirect("campaigns:area", campaign.pk, area.pk)


@role_required(COORDINATION)
@require_POST
def signoff_decide(request: HttpRequest, signoff_pk: int) -> HttpResponse:
    """Approve, return or unlock a ward's figures; reopen a closed period."""
    scope = coordination_scope(request.user)
    signoff = get_object_or_404(
        SignOff.objects.select_related("area", "campaign").filter(scope.q(field="area")),
        pk=signoff_pk,
    )
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    calls = {
        "approve": lambda: signoff_approve(user=request.user, signoff=signoff),
        "return": lambda: signoff_return(user=request.user, signoff=signoff, reason=reason),
        "unlock": lambda: signoff_unlock(user=request.user, signoff=signoff, reason=reason),
        "reopen": lambda: period_reopen(user=request.user, signoff=signoff, reason=reason),
    }
    if action not in calls:
        messages.error(request, _("Thao tác không hợp lệ."))
    else:
        _run(request, action, calls[action])
    if signoff.campaign_id:
        fallback = reverse("campaigns:area", args=[signoff.campaign_id, signoff.area_id])
    else:
        fallback = reverse("campaigns:month", args=[signoff.area_id])
        fallback += f"?thang={signoff.month:%Y-%m}"
    return _back(request, fallback)


def _month_of(text: str, area: Area) -> datetime.date:
    """The month asked for (?thang=2023-03), or the latest one the unit's era can report."""
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        month = timezone.localdate().replace(day=1)
        if area.era == Era.LEGACY:
            month = LEGACY_LAST_DAY.replace(day=1)
    last = month_bounds(month)[1]
    if (area.era == Era.LEGACY) != (last < REFORM_DATE):
        raise Http404
    return month


@role_required(COORDINATION)
def month_signoff(request: HttpRequest, area_pk: int) -> HttpResponse:
    """A month outside campaigns: the unit's and its units' figures, their sign-off states and
    the actions the user may take."""
    scope = coordination_scope(request.user)
    area = get_object_or_404(scope.areas().filter(level__lte=Level.WARD), pk=area_pk)
    month = _month_of(request.GET.get("thang") or request.POST.get("thang", ""), area)
    if request.method == "POST":
        _for_period(request, area, month=month)
        return redirect(f"{request.path}?thang={month:%Y-%m}")
    first, last = month_bounds(month)
    period = Campaign(name="", start=first, end=last, scope=area)  # a mere period, unsaved
    children = child_areas(area=area) if area.level < Level.WARD else []
    units = [area, *children]
    totals = totals_by_area(campaign=period, area_ids=[unit.pk for unit in units])
    rows = [
        Row(
            name=unit.name,
            url=None,
            cells=make_cells(period, totals[unit.pk], {}),
            extra={"area": unit},
        )
        for unit in units
    ]
    states = signoff_states(areas=[area, *children], month=month)
    for row in rows:
        row.extra["signoff"] = states.get(row.extra["area"].pk)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "area": area,
        "month": month,
        "total": rows[0],
        "rows": rows[1:],
        "panel": signoff_panel(user=request.user, area=area, month=month),
        "previous": previous if (area.era == Era.LEGACY) == (previous < REFORM_DATE) else None,
        "following": following
        if following <= timezone.localdate()
        and (area.era == Era.LEGACY) == (following < REFORM_DATE)
        else None,
        "states": SignOffState,
    }
    return render(request, "campaigns/month.html", context)
