"""The official report in the Youth Union's layout: indicators as rows (in Vietnamese), and for
the unit and each unit below it: target, achieved, %. The xlsx and the printable page read the
same `report_data`, which reads the same selectors as the dashboard."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from areas.models import Area
from core.jobs.models import JobStatus
from core.jobs.runner import Attempt, JobKind
from core.spreadsheets.writer import styled_xlsx

from .models import Campaign, ReportJob
from .selectors import Row, area_rows, child_areas, pace_percent

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class ReportData:
    campaign: Campaign
    area: Area
    total: Row
    units: list[Row]
    generated_at: object


def report_data(*, campaign: Campaign, area: Area) -> ReportData:
    pace = pace_percent(campaign=campaign)
    areas = [area, *child_areas(area=area)]
    rows = area_rows(campaign=campaign, areas=areas, url_for=lambda _area: None, pace=pace)
    return ReportData(
        campaign=campaign, area=area, total=rows[0], units=rows[1:], generated_at=timezone.now()
    )


def _sheet_title(sheet: "Worksheet", data: ReportData) -> None:
    campaign = data.campaign
    sheet.append([_("BÁO CÁO KẾT QUẢ %(name)s") % {"name": campaign.name.upper()}])
    sheet.append([campaign.theme])
    sheet.append(
        [
            _("Thời gian: %(start)s – %(end)s · Đơn vị: %(area)s")
            % {
                "start": campaign.start.strftime("%d/%m/%Y"),
                "end": campaign.end.strftime("%d/%m/%Y"),
                "area": data.area.name,
            }
        ]
    )
    sheet.append([])


def _sheet_header(sheet: "Worksheet", units: list[Row]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="F4CCCC")
    header = [_("STT"), _("Chỉ tiêu")]
    subheader = ["", ""]
    for unit in units:
        header += [unit.name, "", ""]
        subheader += [_("Chỉ tiêu giao"), _("Kết quả"), _("Tỷ lệ (%)")]
    sheet.append(header)
    sheet.append(subheader)
    for row in (5, 6):
        for cell in sheet[row]:
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index in range(len(units)):
        column = 3 + index * 3
        sheet.merge_cells(start_row=5, start_column=column, end_row=5, end_column=column + 2)


def report_xlsx(data: ReportData, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The report as xlsx, through the one writer: a campaign's name or theme and a unit's
    name are typed by people, so every text cell is neutralised (no live formula)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    campaign = data.campaign
    units = [data.total, *data.units]

    def build(workbook: "Workbook") -> None:
        sheet = workbook.active
        sheet.title = _("Báo cáo")
        _sheet_title(sheet, data)
        _sheet_header(sheet, units)
        for number in range(1, len(campaign.tracked) + 1):
            line = [number, str(data.total.cells[number - 1].label)]
            for unit in units:
                cell = unit.cells[number - 1]
                line += [cell.target, cell.achieved, cell.pct]
            sheet.append(line)
            if progress:
                progress(number, len(campaign.tracked))
        sheet.append([])
        sheet.append(
            [
                _("Lập lúc %(time)s")
                % {"time": timezone.localtime(data.generated_at).strftime("%H:%M %d/%m/%Y")}
            ]
        )
        sheet.column_dimensions["B"].width = 48
        for column in range(3, 3 + 3 * len(units)):
            sheet.column_dimensions[get_column_letter(column)].width = 13
        sheet.freeze_panes = "C7"
        sheet["A1"].font = Font(bold=True, size=14)

    with override("vi"):
        return styled_xlsx(build)


def report_build(attempt: Attempt) -> None:
    """Run by core.jobs.runner: build the xlsx, storing progress on the job as it goes."""
    job = ReportJob.objects.select_related("campaign", "area").get(pk=attempt.job.pk)
    attempt.progress(0, total=len(job.campaign.tracked))
    data = report_data(campaign=job.campaign, area=job.area)
    content = report_xlsx(data, attempt.progress)
    # Only the latest attempt stores its file: an overtaken run's content is dropped.
    attempt.finish(JobStatus.DONE, content=content)


REPORT_JOBS = JobKind(
    model=ReportJob, run=report_build, failure=gettext_lazy("Lỗi khi lập báo cáo; hãy thử lại.")
)
