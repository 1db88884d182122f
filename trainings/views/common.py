"""What the trainings pages share: the export switch."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from import_export.resources import ModelResource

from core.spreadsheets.writer import ExportSpec, spec_bytes

EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") in EXPORT_TYPES


def export_response(
    request: HttpRequest, resource: ModelResource, queryset: QuerySet, stem: str
) -> HttpResponse:
    kind = request.GET["export"]
    dataset = resource.export(queryset)
    body = spec_bytes(kind, ExportSpec(list(dataset.headers or []), len(dataset), iter(dataset)))
    response = HttpResponse(body, content_type=EXPORT_TYPES[kind])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{kind}"'
    return response
