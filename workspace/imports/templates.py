"""The template file offered next to each import: the headers we read, and one example row."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.spreadsheets.writer import neutralise

from .registry import importer_class

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_rows(kind: str) -> tuple[list[str], list[str]]:
    columns = importer_class(kind).columns
    return [str(column.label) for column in columns], [column.example for column in columns]


def template_bytes(*, kind: str, fmt: str) -> bytes:
    headers, example = template_rows(kind)
    if fmt == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerow([neutralise(cell) for cell in example])
        return text.getvalue().encode("utf-8-sig")
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Dữ liệu")[:31]
    sheet.append(headers)
    sheet.append([neutralise(cell) for cell in example])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            14, len(header) + 4
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_response(*, kind: str, fmt: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    response = HttpResponse(template_bytes(kind=kind, fmt=fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.{fmt}"'
    return response
