import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, Era, Level
from core.forms import errors_to_form
from core.text import search_key
from volunteers.access import COORDINATION, role_required
from volunteers.authority import Action, authority_may

from .dashboard_html import coverage_items, ranking_items
from .forms import CampaignForm, TargetImportForm
from .models import Campaign, ReportJob, Target
from .recount import campaign_recount_state
from .recount_views import recount_page
from .selectors import (
    Row,
    campaign_area_for,
    campaign_dashboard,
    campaign_get_for,
    campaign_list_for,
    campaign_roots_for,
    child_areas,
    coordination_scope,
    dashboard_crumbs,
    dashboard_version,
    legacy_on_current,
    overlapping_campaigns,
)
from .selectors.coverage import coverage_by_unit
from .selectors.ranking import indicator_ranking
from .selectors.signoffs import signoff_panel, signoff_states
from .selectors.tally_share import campaign_tally_share
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
    roots = campaign_roots_for(user=request.user, campaign=campaign)
    if len(roots) == 1:
        return _dashboard(request, campaign, roots[0])
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
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    return _dashboard(request, campaign, area)


def _dashboard(request: HttpRequest, campaign: Campaign, area: Area) -> HttpResponse:
    """The page around a cached body: the body (figures, charts, tables) is rendered once per
    version of the data — any tally change in the area moves its `updated_at`, so the cache
    never serves stale totals, and a busy dashboard costs a few small queries per view."""
    if (recount := campaign_recount_state(campaign=campaign)) is not None:
        return recount_page(request, campaign, area, recount)  # figures not final: progress
    indicator = request.GET.get("chi_tieu", "")
    scope = coordination_scope(request.user)
    version = "|".join(
        str(part)
        for part in (
            campaign.pk,
            campaign.updated_at.isoformat(),
            area.pk,
            indicator,
            get_language(),
            timezone.localdate(),
            *dashboard_version(campaign=campaign, area=area),
            scope.everything,
            *scope.paths,
        )
    )
    key = "campaigns:dashboard:" + hashlib.sha256(version.encode()).hexdigest()
    crumbs = dashboard_crumbs(user=request.user, campaign=campaign, area=area)
    body = cache.get(key)
    if body is None:
        context = campaign_dashboard(
            user=request.user, campaign=campaign, area=area, indicator=indicator, crumbs=crumbs
        )
        context.update(
            campaign_tally_share(
                campaign=campaign,
                area=area,
                children=[row.extra["area"] for row in context["rows"]],
            )
        )
        _dashboard_extras(campaign, area, context)
        body = render_to_string("campaigns/_dashboard_body.html", context, request)
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    context = {
        "campaign": campaign,
        "area": area,
        "body": mark_safe(body),  # noqa: S308 — our own template's output
        "crumbs": crumbs,
        "can_edit": scope.contains(campaign.scope),
        "shows_current": campaign.era == Era.LEGACY and area.level <= Level.DISTRICT,
        "signoff": signoff_panel(user=request.user, area=area, campaign=campaign),
        "signoff_url": reverse("campaigns:signoff-campaign", args=[campaign.pk, area.pk]),
        "reports": ReportJob.objects.filter(
            campaign=campaign, area=area, created_by=request.user
        ).only("pk", "status", "created_at")[:3],
    }
    return render(request, "campaigns/dashboard.html", context)


def _dashboard_extras(campaign: Campaign, area: Area, context: dict) -> None:
    """Sign-off states on the ranking rows, and coverage against the registry: a fixed number
    of queries (campaigns.selectors.signoffs, .coverage)."""
    rows: list[Row] = context["rows"]
    units = [row.extra["area"] for row in rows]
    states = signoff_states(campaign=campaign, areas=units)
    coverage = coverage_by_unit(
        campaign=campaign, units=[area, *units], figures=context["area_figures"]
    )
    for row in rows:
        row.extra["signoff"] = states.get(row.extra["area"].pk)
        row.extra["coverage"] = coverage[row.extra["area"].pk]
        row.extra["search"] = search_key(row.name)
    context["coverage"] = coverage[area.pk]
    context["indicator_ranking"] = indicator_ranking(
        rows=rows, key=context["indicator"], pace=context["pace"]
    )
    context["ranking_hidden"] = sum(unit.middle for unit in context["indicator_ranking"])
    if area.level == Level.WARD:
        _volunteer_links(campaign, area, context["volunteers"])
    context["coverage_rows"] = sorted(
        rows, key=lambda row: (-row.extra["coverage"].not_reached, row.name)
    )
    context["coverage_items"] = coverage_items(context["coverage_rows"])
    context["ranking_items"] = ranking_items(context["indicator_ranking"])


def _volunteer_links(campaign: Campaign, ward: Area, volunteers: list[Row]) -> None:
    """A volunteer's row opens their visits in the ward's workspace over the campaign's days:
    that page checks the viewer's scope itself."""
    base = reverse("workspace:visit-list", args=[ward.pk])
    for row in volunteers:
        volunteer_id = row.extra.get("volunteer_id")
        if volunteer_id:
            row.url = (
                f"{base}?volunteer={volunteer_id}&date_from={campaign.start.isoformat()}"
                f"&date_to={campaign.end.isoformat()}"
            )


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
