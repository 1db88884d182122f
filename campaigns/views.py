from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, Era, Level
from core.forms import errors_to_form
from volunteers.access import COORDINATION, role_required
from volunteers.authority import Action, authority_may

from .dashboard_html import children_table_html, dashboard_body_html
from .forms import CampaignForm, TargetImportForm
from .models import Campaign, Target
from .recount import campaign_recount_state
from .recount_views import recount_page
from .selectors import (
    DashboardHead,
    campaign_area_for,
    campaign_dashboard,
    campaign_get_for,
    campaign_list_for,
    campaign_root_paths,
    campaign_roots_for,
    child_areas,
    coordination_scope,
    dashboard_body_key,
    dashboard_head,
    legacy_on_current,
    overlapping_campaigns,
)
from .selectors.signoffs import PanelData, signoff_panel_from
from .services import (
    campaign_save,
    target_split,
    targets_import,
    targets_save_grid,
)

DASHBOARD_CACHE_SECONDS = 300


@role_required(COORDINATION)
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = campaign_list_for(user=request.user)
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


@role_required(COORDINATION)
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request, Campaign())


@role_required(COORDINATION)
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    if not authority_may(user=request.user, action=Action.EDIT, obj=campaign):
        raise Http404  # seen from below (a ward's view of a city campaign): not editable there
    return _campaign_form(request, campaign)


def _campaign_form(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    scope = coordination_scope(request.user)
    form = CampaignForm(request.POST or None, instance=campaign, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_save(
                campaign=form.save(commit=False), user=request.user, scope=scope
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã lưu chiến dịch %(name)s.") % {"name": campaign.name})
            return redirect(campaign.get_absolute_url())
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@role_required(COORDINATION)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    paths = campaign_root_paths(user=request.user, campaign=campaign)
    if paths == [campaign.scope.path]:
        head = dashboard_head(user=request.user, campaign=campaign, area=campaign.scope)
        return _dashboard(request, campaign, head)
    if len(paths) == 1:  # one unit of the user's inside the campaign: read with the head
        head = dashboard_head(user=request.user, campaign=campaign, area_path=paths[0])
        if head.area is not None:
            return _dashboard(request, campaign, head)
    roots = campaign_roots_for(user=request.user, campaign=campaign)
    return render(
        request,
        "campaigns/roots.html",
        {
            "campaign": campaign,
            "roots": roots,
            "overlaps": overlapping_campaigns(campaign=campaign, user=request.user),
        },
    )


@role_required(COORDINATION)
def campaign_area(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    # The unit is looked up, inside the campaign's and the user's scope, with the page's head.
    head = dashboard_head(user=request.user, campaign=campaign, area_pk=area_pk)
    if head.area is None:
        raise Http404
    return _dashboard(request, campaign, head)


@role_required(COORDINATION)
def campaign_area_table(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    """The table of every indicator for the units under a dashboard's: fetched by the page's
    script when its folded box is opened (the table alone), or a page of its own without
    script. Cached per data version beside the body (`dashboard_body_key`, part "table")."""
    campaign = campaign_get_for(user=request.user, pk=pk)
    head = dashboard_head(user=request.user, campaign=campaign, area_pk=area_pk)
    area = head.area
    if area is None:
        raise Http404
    fragment = bool(getattr(request, "htmx", False))
    recount = campaign_recount_state(campaign=campaign)
    if recount is not None and not fragment:
        return recount_page(request, campaign, area, recount)
    if recount is not None:
        table = format_html('<p class="muted">{}</p>', _("Đang tính lại số liệu, xin thử lại sau."))
    else:
        key = dashboard_body_key(
            user=request.user, campaign=campaign, head=head, indicator="", part="table"
        )
        table = cache.get(key)
        if table is None:
            context = campaign_dashboard(user=request.user, campaign=campaign, area=area)
            table = children_table_html(context)
            cache.set(key, table, DASHBOARD_CACHE_SECONDS)
        table = mark_safe(table)  # noqa: S308 — our own template's output
    if fragment:
        response = HttpResponse(table)
    else:
        context = {"campaign": campaign, "area": area, "table": table}
        response = render(request, "campaigns/table.html", context)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers
    return response


@dataclass
class _CachedBody:
    """What a dashboard keeps per data version: the body's HTML, the crumbs above it, and the
    sign-off box's data (whose per-viewer offers are worked out on every view). A change of
    its fields raises selectors.page.BODY_FORMAT, which keys the cache."""

    html: str
    crumbs: list[Area]
    panel: PanelData


def _dashboard(request: HttpRequest, campaign: Campaign, head: DashboardHead) -> HttpResponse:
    """The page around a cached body: the body (figures, charts, tables), the crumbs and the
    sign-off box's data are built once per version of the data (`dashboard_body_key`: any
    change of a figure shown moves it, so the cache never serves stale totals), and a view
    of a cached dashboard reads only the campaign and the page's head (one query)."""
    area = head.area
    if (recount := campaign_recount_state(campaign=campaign)) is not None:
        return recount_page(request, campaign, area, recount)  # figures not final: progress
    indicator = request.GET.get("chi_tieu", "")
    key = dashboard_body_key(user=request.user, campaign=campaign, head=head, indicator=indicator)
    cached = cache.get(key)
    if cached is None:
        context = campaign_dashboard(
            user=request.user, campaign=campaign, area=area, indicator=indicator
        )
        cached = _CachedBody(
            html=dashboard_body_html(context), crumbs=context["crumbs"], panel=context["panel"]
        )
        cache.set(key, cached, DASHBOARD_CACHE_SECONDS)
    context = {
        "campaign": campaign,
        "area": area,
        "body": mark_safe(cached.html),  # noqa: S308 — our own template's output
        "crumbs": cached.crumbs,
        "can_edit": coordination_scope(request.user).contains(campaign.scope),
        "shows_current": campaign.era == Era.LEGACY and area.level <= Level.DISTRICT,
        "signoff": signoff_panel_from(user=request.user, area=area, data=cached.panel),
        "signoff_url": reverse("campaigns:signoff-campaign", args=[campaign.pk, area.pk]),
        "reports": head.reports,
    }
    return render(request, "campaigns/dashboard.html", context)


@role_required(COORDINATION)
def campaign_area_current(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    """An old campaign on today's boundaries."""
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    if campaign.era != Era.LEGACY:
        raise Http404
    if (recount := campaign_recount_state(campaign=campaign)) is not None:
        return recount_page(request, campaign, area, recount)
    rows = legacy_on_current(campaign=campaign, area=area)
    return render(
        request,
        "campaigns/current.html",
        {
            "campaign": campaign,
            "area": area,
            "rows": rows,
            "any_approximate": any(r.approximate for r in rows),
        },
    )


# --- Targets ------------------------------------------------------------------------------------
@role_required(COORDINATION)
def targets_grid(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    """The area and its children as rows, the campaign's indicators as columns."""
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    scope = coordination_scope(request.user)
    areas = [area, *child_areas(area=area)]
    errors = []
    if request.method == "POST":
        cells = {}
        for row_area in areas:
            for key in campaign.tracked:
                name = f"t-{row_area.pk}-{key}"
                if name in request.POST:
                    cells[(row_area.pk, key)] = request.POST[name]
        result = targets_save_grid(campaign=campaign, scope=scope, cells=cells)
        if result.ok:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("campaigns:targets", campaign.pk, area.pk)
        errors = result.errors
    existing = {
        (target.area_id, target.indicator): target.value
        for target in Target.objects.filter(campaign=campaign, area__in=areas)
    }
    grid = [
        {
            "area": row_area,
            "cells": [
                {
                    "key": key,
                    "name": f"t-{row_area.pk}-{key}",
                    "value": request.POST.get(f"t-{row_area.pk}-{key}", "")
                    if errors
                    else existing.get((row_area.pk, key), ""),
                }
                for key in campaign.tracked
            ],
        }
        for row_area in areas
    ]
    context = {
        "campaign": campaign,
        "area": area,
        "grid": grid,
        "errors": errors,
        "import_form": TargetImportForm(),
    }
    return render(request, "campaigns/targets.html", context)


@role_required(COORDINATION)
def targets_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    form = TargetImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = targets_import(
            campaign=campaign,
            scope=coordination_scope(request.user),
            name=upload.name,
            content=upload.read(),
        )
        if result.ok:
            messages.success(request, _("Đã nhập %(count)s chỉ tiêu.") % {"count": result.written})
            return redirect(campaign.get_absolute_url())
    return render(
        request,
        "campaigns/targets_import.html",
        {"campaign": campaign, "form": form, "result": result},
    )


@role_required(COORDINATION)
@require_POST
def targets_split(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    try:
        shares = target_split(
            campaign=campaign, scope=coordination_scope(request.user), parent=area
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if shares:
            messages.success(request, _("Đã chia chỉ tiêu theo số hộ gia đình."))
        else:
            messages.warning(request, _("Đơn vị này chưa có chỉ tiêu để chia."))
    return redirect("campaigns:targets", campaign.pk, area.pk)


# --- Reports ------------------------------------------------------------------------------------
