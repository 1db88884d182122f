"""Imports and exports of a ward's lists: upload, preview, confirm; export, progress, download."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, Level
from core.devices import keep_off_device
from core.spreadsheets.reader import FileRefused
from households.services import contact_export_record
from households.tallies.services import tally_scope
from volunteers import assignments as svc

from ..exports.jobs import export_job_create
from ..forms import (
    UploadForm,
)
from ..imports.errors import import_errors_file
from ..imports.jobs import (
    import_job_can_take_valid_rows,
    import_job_confirm,
    import_job_confirm_valid,
    import_job_upload,
)
from ..imports.registry import importer_class_at
from ..imports.templates import XLSX, template_response
from ..models import (
    ExportJob,
    ExportKind,
    ImportJob,
    ImportKind,
    JobStatus,
)
from .common import coordinator


# --- Imports -----------------------------------------------------------------------------------
def _kind(kind: str, choices) -> str:
    if kind not in {value for value, _label in choices}:
        raise Http404
    return kind


# Lists whose rows name their unit: imported at any unit the user coordinates (a district's or
# a city's one file for all its units).
MANY_UNIT_KINDS = frozenset({ImportKind.TALLIES, ImportKind.POSTS})


def _import_area(request: HttpRequest, pk: int, kind: str) -> Area:
    """A ward for most lists; for lists whose rows name their unit, any unit the user
    coordinates."""
    if kind in MANY_UNIT_KINDS:
        return get_object_or_404(
            Area.objects.filter(tally_scope(user=request.user).q(field="")), pk=pk
        )
    # A district or a city imports a ward-bound list with a ward column (imports/many.py).
    return get_object_or_404(
        Area.objects.filter(
            svc.coordinator_scope(user=request.user).q(field=""), level__lte=Level.WARD
        ),
        pk=pk,
    )


def _page_ward(area: Area) -> Area | None:
    """The ward whose workspace tabs the page shows (none above a ward)."""
    return area if area.level == Level.WARD else None


@coordinator
def import_start(request: HttpRequest, ward_pk: int, kind: str) -> HttpResponse:
    kind = _kind(kind, ImportKind.choices)
    ward = _import_area(request, ward_pk, kind)
    form = UploadForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_upload(
                kind=kind,
                ward=ward,
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                options={"consent_all": bool(form.cleaned_data.get("consent_all"))},
            )
        except FileRefused as refused:
            form.add_error("file", refused.message)
        else:
            return redirect("workspace:import-detail", pk=job.pk)
    context = {
        "ward": _page_ward(ward),
        "area": ward,
        "form": form,
        "kind": kind,
        "kind_label": ImportKind(kind).label,
        "columns": importer_class_at(kind, ward).columns,
    }
    return render(
        request, "workspace/import_start.html", context, status=400 if form.errors else 200
    )


def _import_job_for(request: HttpRequest, pk: int) -> ImportJob:
    scope = svc.coordinator_scope(user=request.user)
    return get_object_or_404(
        ImportJob.objects.filter(scope.q(field="ward"))
        .defer("content", "records")
        .select_related("ward"),
        pk=pk,
    )


@coordinator
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job_for(request, pk)
    template = "workspace/_import_progress.html" if request.htmx else "workspace/import_detail.html"
    context = {
        "ward": _page_ward(job.ward),
        "area": job.ward,
        "job": job,
        "JobStatus": JobStatus,
        "can_take_valid_rows": not request.htmx and import_job_can_take_valid_rows(job),
    }
    return render(request, template, context)


@coordinator
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job_for(request, pk)
    options = None
    if job.kind == ImportKind.TALLIES and job.result.get("visit_row_count"):
        # Tallies where visits are already recorded count on top of them: only when asked.
        if not request.POST.get("visits_confirmed"):
            messages.error(
                request,
                _(
                    "Có dòng trùng đơn vị và ngày với lượt thăm đã ghi: hãy đánh dấu xác nhận "
                    "(hoặc bỏ các dòng đó khỏi tệp) rồi nhập lại."
                ),
            )
            return redirect("workspace:import-detail", pk=job.pk)
        options = {**job.options, "visits_confirmed": True}
    if request.POST.get("valid_only"):
        # "Import the valid rows": the bad ones are left out, listed and downloadable.
        if not import_job_confirm_valid(job=job, options=options):
            messages.error(request, _("Không còn dòng hợp lệ nào để nhập từ lượt này."))
        return redirect("workspace:import-detail", pk=job.pk)
    if not import_job_confirm(job=job, options=options):
        messages.error(request, _("Lượt nhập này không thể chạy (có lỗi hoặc đã chạy)."))
    return redirect("workspace:import-detail", pk=job.pk)


@coordinator
@keep_off_device
def import_errors_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's bad rows, as the same sheet plus an error column."""
    job = _import_job_for(request, pk)
    if not job.errors:
        raise Http404
    content, fmt = import_errors_file(job=job)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.{fmt}"'
    return response


@coordinator
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind, ImportKind.choices)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return template_response(kind=kind, fmt=fmt)


# --- Exports -----------------------------------------------------------------------------------
@coordinator
@require_POST
def export_create(request: HttpRequest, ward_pk: int, kind: str) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    kind = _kind(kind, ExportKind.choices)
    fmt = "xlsx" if request.POST.get("format") == "xlsx" else "csv"
    filters = {key: value for key, value in request.POST.items() if key.startswith("f_")}
    filters = {key[2:]: value for key, value in filters.items() if value}
    job = export_job_create(kind=kind, fmt=fmt, ward=ward, user=request.user, filters=filters)
    return redirect("workspace:export-detail", pk=job.pk)


def _export_job_for(request: HttpRequest, pk: int) -> ExportJob:
    scope = svc.coordinator_scope(user=request.user)
    return get_object_or_404(
        ExportJob.objects.filter(scope.q(field="ward")).select_related("ward"), pk=pk
    )


@coordinator
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job_for(request, pk)
    template = "workspace/_export_progress.html" if request.htmx else "workspace/export_detail.html"
    return render(request, template, {"ward": job.ward, "job": job, "JobStatus": JobStatus})


@coordinator
@keep_off_device
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job_for(request, pk)
    if job.status != JobStatus.DONE or not job.path:
        raise Http404
    try:
        handle = open(job.path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError as error:
        raise Http404 from error
    if job.kind == ExportKind.HOUSEHOLDS:
        # The households list carries every contact of the ward: who took it is recorded.
        contact_export_record(user=request.user, ward=job.ward, count=job.total)
    return FileResponse(handle, as_attachment=True, filename=job.download_name)
