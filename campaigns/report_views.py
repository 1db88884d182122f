"""The official report: asked for, its progress, its download and its print view."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.jobs.models import JobStatus
from volunteers.access import COORDINATION, role_required

from .models import ReportJob
from .recount import campaign_recount_state
from .recount_views import recount_page
from .report import closing_text, report_data, total_named
from .selectors import (
    campaign_area_for,
    campaign_get_for,
    coordination_scope,
)
from .services import (
    report_request,
)


@role_required(COORDINATION)
@require_POST
def report_create(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = campaign_get_for(user=request.user, pk=pk)
    area = campaign_area_for(user=request.user, campaign=campaign, area_pk=area_pk)
    if campaign_recount_state(campaign=campaign) is not None:
        # Its figures are being recounted: a report now would sign off numbers not final.
        messages.warning(request, _("Số liệu đang được tính lại: hãy lập báo cáo khi tính xong."))
        return redirect("campaigns:area", campaign.pk, area.pk)
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
    if (recount := campaign_recount_state(campaign=campaign)) is not None:
        return recount_page(request, campaign, area, recount)
    data = report_data(campaign=campaign, area=area)
    return render(
        request,
        "campaigns/print.html",
        {"data": data, "closing": closing_text(data), "total": total_named(data.total_line)},
    )


# --- API tokens ---------------------------------------------------------------------------------
