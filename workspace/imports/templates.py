"""The template file offered next to each import: the headers we read, and one example row."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.spreadsheets.writer import ExportSpec, spec_bytes

from .registry import importer_class

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_rows(kind: str) -> tuple[list[str], list[str]]:
    columns = importer_class(kind).columns
    return [str(column.label) for column in columns], [column.example for column in columns]


def template_bytes(*, kind: str, fmt: str) -> bytes:
    headers, example = template_rows(kind)
    spec = ExportSpec(headers, 1, iter([example]))
    return spec_bytes(fmt, spec, title=_("Dữ liệu"), widths=True)


def template_response(*, kind: str, fmt: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    response = HttpResponse(template_bytes(kind=kind, fmt=fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.{fmt}"'
    return response
