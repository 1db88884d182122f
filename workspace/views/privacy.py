"""A household's data on request, for the coordinator of its area: everything kept about it,
a download, and erasure. Outside one's area the household is a 404, as everywhere."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.devices import keep_off_device
from core.spreadsheets.writer import ExportSpec, write_xlsx
from households.models import ContactDoor
from households.selectors import household_data_for, household_data_rows
from households.services import (
    contact_view_record,
    household_data_export_record,
    household_erase,
)

from .common import coordinator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@coordinator
@keep_off_device
def household_data(request: HttpRequest, pk: int) -> HttpResponse:
    data = household_data_for(user=request.user, pk=pk)
    contact_view_record(user=request.user, household=data.household, door=ContactDoor.DATA_PAGE)
    return render(request, "workspace/household_data.html", {"data": data})


@coordinator
@keep_off_device
def household_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's copy, written through the one spreadsheet writer (formulas neutralised);
    the hand-over is recorded."""
    data = household_data_for(user=request.user, pk=pk)
    headers, rows = household_data_rows(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "household.xlsx"
        write_xlsx(path, ExportSpec(headers=headers, total=len(rows), rows=iter(rows)), _ignore)
        content = path.read_bytes()
    household_data_export_record(user=request.user, household=data.household)
    contact_view_record(user=request.user, household=data.household, door=ContactDoor.DATA_DOWNLOAD)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ho-{data.household.pk}.xlsx"'
    return response


def _ignore(_count: int) -> None:
    """A household's rows are few: no progress to report."""


@require_POST
@coordinator
def household_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    data = household_data_for(user=request.user, pk=pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Hãy đánh dấu xác nhận trước khi xoá dữ liệu của hộ."))
        return redirect("workspace:household-data", pk=pk)
    household_erase(user=request.user, household=data.household)
    messages.success(
        request,
        _(
            "Đã xoá liên hệ, địa chỉ và mọi ghi chú của hộ. Hộ vẫn được tính trong tổng số "
            "(ẩn danh); yêu cầu đã được ghi lại."
        ),
    )
    return redirect("workspace:household-data", pk=pk)
