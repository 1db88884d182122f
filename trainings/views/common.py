"""What the trainings pages share: the export switch."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from import_export.resources import ModelResource

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
    if kind == "csv":
        # A BOM so that Excel opens Vietnamese text in UTF-8.
        body = ("\ufeff" + dataset.export("csv")).encode("utf-8")
    else:
        body = dataset.export("xlsx")
    response = HttpResponse(body, content_type=EXPORT_TYPES[kind])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{kind}"'
    return response
