"""The errors of an import as a file: the same sheet (the columns we read, as the file headed
them) with only its bad rows and an error column, to fix and upload again.

Written through the one writer (formula-neutralising). Without the file (it held citizen ID
numbers and was not kept, or its retention ran out) the sheet lists row, column and error.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from core.spreadsheets.reader import FileRefused, open_table
from core.spreadsheets.writer import ExportSpec, spec_bytes
from core.text import mask_id_numbers

from ..models import ImportJob
from .registry import importer_class_at


def _cell(value: object) -> object:
    if value is None:
        return ""
    return mask_id_numbers(value) if isinstance(value, str) else value


def _messages_by_row(job: ImportJob) -> dict[int, list[str]]:
    messages: dict[int, list[str]] = defaultdict(list)
    for error in job.errors:
        text = error["message"]
        if error.get("column"):
            text = f"{error['column']}: {text}"
        messages[error["row"]].append(text)
    return messages


def _from_file(job: ImportJob, content: bytes) -> ExportSpec | None:
    columns = importer_class_at(job.kind, job.ward).columns
    try:
        table = open_table(content=content, filename=job.filename, columns=columns)
    except FileRefused:
        return None
    keys = sorted(table.columns, key=table.columns.get)
    messages = _messages_by_row(job)
    headers = [table.headers[key] for key in keys] + [_("Lỗi")]
    rows = (
        [*(_cell(values.get(key)) for key in keys), "; ".join(messages[number])]
        for number, values, _formulas in table.rows
        if number in messages
    )
    return ExportSpec(headers, len(messages), rows)


def _from_errors(job: ImportJob) -> ExportSpec:
    rows = ([error["row"], error.get("column", ""), error["message"]] for error in job.errors)
    return ExportSpec([_("Dòng"), _("Cột"), _("Lỗi")], len(job.errors), rows)


def import_errors_file(*, job: ImportJob) -> tuple[bytes, str]:
    """The error sheet's bytes and its format ("xlsx" or "csv", as the upload was)."""
    fmt = "csv" if job.filename.lower().endswith(".csv") else "xlsx"
    content = bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk) or b"")
    spec = _from_file(job, content) if content else None
    if spec is None:
        fmt = "xlsx" if fmt == "xlsx" else "csv"
        spec = _from_errors(job)
    return spec_bytes(fmt, spec, title=_("Lỗi"), widths=True), fmt
