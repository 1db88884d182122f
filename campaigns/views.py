import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, Era, Level
from core.forms import errors_to_form
from core.jobs.models import JobStatus
from volunteers.access import COORDINATION, role_required
from volunteers.authority import Action, authority_may

from .forms import ApiTokenForm, CampaignForm, TargetImportForm
from .models import ApiToken, Campaign, ReportJob, Target
from .report import report_data
from .selectors import (
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
from .services import (
    api_token_create,
    api_token_revoke,
    campaign_save,
    report_request,
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
        body = render_to_string("campaigns/_dashboard_body.html", context, request)
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    context = {
        "campaign": campaign,
        "area": area,
        "body": mark_safe(body),  # noqa: S308 — our own template's output
        "crumbs": crumbs,
        "can_edit": scope.contains(campaign.scope),
        "shows_current": campaign.era == Era.LEGACY and area.level <= Level.DISTRICT,
        "reports": ReportJob.objects.filter(
            campaign=campaign, area=area, created_by=request.user
        ).only("pk", "status", "created_at")[:3],
    }
    return render(request, "campaigns/dashboard.html", context)


@role_required(COORDINATION)
def campaign_area_current(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    """An old campaign on today's boundaries."""
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    if campaign.era != Era.LEGACY:
        raise Http404
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
@role_required(COORDINATION)
@require_POST
def report_create(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    job = report_request(campaign=campaign, area=area, user=request.user)
    return redirect("campaigns:report", job.pk)


def _job_for(request: HttpRequest, job_pk: int) -> ReportJob:
    scope = coordination_scope(request.user)
    return get_object_or_404(
        ReportJob.objects.select_related("campaign", "area").filter(scope.q(field="area")),
        pk=job_pk,
    )


@role_required(COORDINATION)
def report_status(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _job_for(request, job_pk)
    template = "campaigns/_report_status.html" if request.htmx else "campaigns/report.html"
    return render(request, template, {"job": job})


@role_required(COORDINATION)
def report_download(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _job_for(request, job_pk)
    if job.status != JobStatus.DONE or not job.content:
        raise Http404
    response = HttpResponse(
        bytes(job.content),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"bao-cao-chien-dich-{job.campaign_id}-{job.area.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(COORDINATION)
def report_print(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    data = report_data(campaign=campaign, area=area)
    rows = [
        {
            "number": index,
            "label": cell.label,
            "units": [unit.cells[index - 1] for unit in [data.total, *data.units]],
        }
        for index, cell in enumerate(data.total.cells, start=1)
    ]
    return render(request, "campaigns/print.html", {"data": data, "rows": rows})


# --- API tokens ---------------------------------------------------------------------------------
@role_required(COORDINATION)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own IOC keys: create (the key is shown once) and revoke."""
    form = ApiTokenForm(request.POST if request.POST.get("action") == "create" else None)
    raw = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(
            ApiToken.objects.filter(user=request.user), pk=request.POST.get("token") or 0
        )
        api_token_revoke(token=token)
        messages.success(request, _("Đã thu hồi khóa %(name)s.") % {"name": token.name})
        return redirect("campaigns:api-tokens")
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(Q(user=request.user))
    return render(
        request, "campaigns/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw}
    )
