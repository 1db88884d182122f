"""Back-entry of past sessions from a spreadsheet, run as a task with a progress record."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.forms import errors_to_form
from volunteers.access import WARD_AND_UP, role_required

from ..forms import ImportForm
from ..models import SessionImport
from ..selectors import import_areas_for, import_list_for
from ..services import session_import_start
from ..services.imports import COLUMNS, REQUIRED


@role_required(WARD_AND_UP)
def import_create(request: HttpRequest) -> HttpResponse:
    form = ImportForm(
        request.POST or None, request.FILES or None, areas=import_areas_for(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = session_import_start(
                user=request.user, area=form.cleaned_data["area"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return redirect("trainings:import-detail", pk=job.pk)
    context = {
        "form": form,
        "columns": [(column, column in REQUIRED) for column in COLUMNS],
        "jobs": import_list_for(user=request.user)[:10],
    }
    return render(request, "trainings/import_form.html", context)


def _job(request: HttpRequest, pk: int) -> SessionImport:
    return get_object_or_404(import_list_for(user=request.user), pk=pk)


@role_required(WARD_AND_UP)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    # htmx asks again every second while the job runs (templates/_partials/job_progress.html).
    template = "trainings/_import_progress.html" if request.htmx else "trainings/import_detail.html"
    return render(request, template, {"job": job})


@role_required(WARD_AND_UP)
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "processed": job.processed,
            "total": job.total,
            "created": job.created_count,
            "errors": len(job.errors),
            "finished": job.finished,
        }
    )
