"""The official report in the Youth Union's layout, ready to sign and send up: the issuing unit
and the Youth Union header, a report number and date line, the period; units in rows and the
indicators in columns (target, result, % for each), unique volunteers beside participations,
coverage against the registry, each unit's sign-off state, a totals row, and the signature
block (người lập biểu / thủ trưởng đơn vị). The xlsx (A4 landscape, fit to width, header rows
repeated on every page) and the printable page read the same `report_data`, which reads the
same selectors as the dashboard: it equals the dashboard to the unit."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from areas.models import Area
from core.jobs.models import JobStatus
from core.jobs.runner import Attempt, JobKind
from core.spreadsheets.writer import styled_xlsx

from .models import Campaign, CampaignAreaTally, ReportJob, SignOff
from .selectors import Row, area_rows, child_areas, has_own_rows, pace_percent
from .selectors.coverage import Coverage, coverage_by_unit
from .selectors.figures import _day_sums
from .selectors.signoffs import UnitState, period_closing, signoff_states

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

COUNT_FORMAT = "#,##0"  # the reader's locale groups it: "64.992" in a Vietnamese Excel
PCT_FORMAT = "0.0"


def unique_volunteers_by_area(*, campaign: Campaign, area_ids: list[int]) -> dict[int, int]:
    """One query (two for a campaign without its own rows): distinct volunteers per area."""
    if not has_own_rows(campaign):
        return {pk: row["unique_volunteers"] for pk, row in _day_sums(campaign, area_ids).items()}
    return dict(
        CampaignAreaTally.objects.filter(campaign=campaign, area_id__in=area_ids).values_list(
            "area_id", "unique_volunteers"
        )
    )


@dataclass
class ReportLine:
    """One unit's line: its figures, people, coverage and sign-off."""

    row: Row
    volunteers: int
    coverage: Coverage
    state: UnitState | None = None


@dataclass
class ReportData:
    campaign: Campaign
    area: Area
    total: Row
    units: list[Row]
    generated_at: datetime.datetime
    lines: list[ReportLine] = field(default_factory=list)
    total_line: ReportLine | None = None
    closing: SignOff | None = None

    @property
    def place(self) -> str:
        """The city or province the report is dated in ("Hà Nội")."""
        root = Area.objects.filter(path=self.area.path[: Area.steplen]).first() or self.area
        for prefix in ("Thành phố ", "Tỉnh "):
            if root.name.startswith(prefix):
                return root.name[len(prefix) :]
        return root.name

    @property
    def date_line(self) -> str:
        made = timezone.localtime(self.generated_at)
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": self.place,
            "day": f"{made.day:02d}",
            "month": f"{made.month:02d}",
            "year": made.year,
        }

    @property
    def issuer(self) -> str:
        return _("BCH ĐOÀN %(unit)s") % {"unit": self.area.name.upper()}


def report_data(*, campaign: Campaign, area: Area) -> ReportData:
    pace = pace_percent(campaign=campaign)
    areas = [area, *child_areas(area=area)]
    rows = area_rows(campaign=campaign, areas=areas, url_for=lambda _area: None, pace=pace)
    ids = [unit.pk for unit in areas]
    volunteers = unique_volunteers_by_area(campaign=campaign, area_ids=ids)
    coverage = coverage_by_unit(campaign=campaign, units=areas)
    states = signoff_states(campaign=campaign, areas=areas)
    lines = [
        ReportLine(
            row=row,
            volunteers=volunteers.get(unit.pk, 0),
            coverage=coverage[unit.pk],
            state=states.get(unit.pk),
        )
        for unit, row in zip(areas, rows, strict=True)
    ]
    return ReportData(
        campaign=campaign,
        area=area,
        total=rows[0],
        units=rows[1:],
        generated_at=timezone.now(),
        lines=lines[1:],
        total_line=lines[0],
        closing=period_closing(area=area, campaign=campaign),
    )


def state_text(line: ReportLine) -> tuple[str, str]:
    """(state, who and when) as the report writes them."""
    state = line.state
    if state is None:
        return "", ""
    if state.code == "summary":
        return state.summary, ""
    return state.label, state.who_when


# --- xlsx ---------------------------------------------------------------------------------------
HEAD_ROW = 10  # the first of the two header rows


def _columns(campaign: Campaign) -> int:
    return 2 + 3 * len(campaign.tracked) + 1 + 3 + 2


def _sheet_top(sheet: "Worksheet", data: ReportData) -> None:
    from openpyxl.styles import Alignment, Font

    campaign = data.campaign
    width = _columns(campaign)
    half = max(width // 2, 3)
    lines = [
        (1, 1, _("BCH ĐOÀN CẤP TRÊN"), False),
        (2, 1, data.issuer, True),
        (3, 1, _("Số:        /BC-ĐTN"), False),
        (1, half + 1, _("ĐOÀN TNCS HỒ CHÍ MINH"), True),
        (3, half + 1, data.date_line, False),
    ]
    for row, column, text, bold in lines:
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = Font(bold=bold, italic=row == 3 and column > 1)
        cell.alignment = Alignment(horizontal="center")
        end = half if column == 1 else width
        sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
    title = [
        (5, _("BÁO CÁO KẾT QUẢ %(name)s") % {"name": campaign.name.upper()}, True),
        (6, campaign.theme, False),
        (
            7,
            _("Thời gian: %(start)s – %(end)s · Đơn vị: %(area)s")
            % {
                "start": campaign.start.strftime("%d/%m/%Y"),
                "end": campaign.end.strftime("%d/%m/%Y"),
                "area": data.area.name,
            },
            False,
        ),
        (8, closing_text(data), False),
    ]
    for row, text, bold in title:
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(bold=bold, size=14 if bold else 11)
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def closing_text(data: ReportData) -> str:
    closing = data.closing
    if closing is None or not closing.decided_at:
        return _("Kỳ báo cáo chưa khóa sổ.")
    return _("Kỳ báo cáo %(state)s bởi %(who)s lúc %(when)s.") % {
        "state": closing.get_state_display(),
        "who": closing.decided_by.full_name,
        "when": timezone.localtime(closing.decided_at).strftime("%H:%M %d/%m/%Y"),
    }


def _sheet_header(sheet: "Worksheet", data: ReportData) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    top, sub = HEAD_ROW, HEAD_ROW + 1
    groups = [(cell.label, 3) for cell in data.total.cells]
    groups += [
        (_("Tình nguyện viên tham gia (người)"), 1),
        (_("Độ phủ so với sổ hộ"), 3),
        (_("Xác nhận số liệu"), 2),
    ]
    column = 3
    sheet.cell(row=top, column=1, value=_("STT"))
    sheet.cell(row=top, column=2, value=_("Đơn vị"))
    sheet.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    sheet.merge_cells(start_row=top, start_column=2, end_row=sub, end_column=2)
    subs = {
        3: [_("Chỉ tiêu giao"), _("Kết quả"), _("Tỷ lệ (%)")],
        1: [""],
        2: [_("Trạng thái"), _("Người duyệt, thời gian")],
    }
    for index, (label, span) in enumerate(groups):
        sheet.cell(row=top, column=column, value=label)
        names = subs[span]
        if index == len(data.total.cells) + 1:  # coverage
            names = [_("Hộ trong sổ"), _("Hộ đã tiếp cận"), _("Tỷ lệ (%)")]
        for offset, name in enumerate(names):
            sheet.cell(row=sub, column=column + offset, value=name)
        if span > 1:
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top, end_column=column + span - 1
            )
        else:
            sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        column += span
    fill = PatternFill("solid", fgColor="F4CCCC")
    for row in (top, sub):
        for index in range(1, column):
            cell = sheet.cell(row=row, column=index)
            cell.font, cell.fill = Font(bold=True, size=9), fill
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _line_values(number: int | str, line: ReportLine) -> list:
    values: list = [number, line.row.name]
    for cell in line.row.cells:
        values += [cell.target, cell.achieved, cell.pct]
    coverage = line.coverage
    values += [line.volunteers, coverage.households, coverage.reached, coverage.share]
    values += list(state_text(line))
    return values


def _write_line(sheet: "Worksheet", values: list, *, bold: bool = False) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    sheet.append(values)
    row = sheet.max_row
    pct_columns = {3 * index + 5 for index in range((len(values) - 8) // 3)}
    pct_columns.add(len(values) - 2)
    for index in range(1, len(values) + 1):
        cell = sheet.cell(row=row, column=index)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.font = Font(bold=bold, size=10)
        if index > 2 and isinstance(cell.value, int | float):
            cell.number_format = PCT_FORMAT if index in pct_columns else COUNT_FORMAT
        if index >= len(values) - 1:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_signatures(sheet: "Worksheet", data: ReportData) -> None:
    from openpyxl.styles import Alignment, Font

    width = _columns(data.campaign)
    half = max(width // 2, 3)
    row = sheet.max_row + 2
    for column, end, title in (
        (1, half, _("NGƯỜI LẬP BIỂU")),
        (half + 1, width, _("THỦ TRƯỞNG ĐƠN VỊ")),
    ):
        for offset, text, bold in (
            (0, title, True),
            (1, _("(Ký, ghi rõ họ tên)") if column == 1 else _("(Ký tên, đóng dấu)"), False),
        ):
            cell = sheet.cell(row=row + offset, column=column, value=text)
            cell.font = Font(bold=bold, italic=not bold)
            cell.alignment = Alignment(horizontal="center")
            sheet.merge_cells(
                start_row=row + offset, start_column=column, end_row=row + offset, end_column=end
            )
    made = timezone.localtime(data.generated_at).strftime("%H:%M %d/%m/%Y")
    sheet.cell(row=row + 6, column=1, value=_("Lập lúc %(time)s") % {"time": made})


def _sheet_print_setup(sheet: "Worksheet", data: ReportData) -> None:
    from openpyxl.utils import get_column_letter

    width = _columns(data.campaign)
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the units need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW + 1}"
    sheet.print_area = f"A1:{get_column_letter(width)}{sheet.max_row}"
    sheet.freeze_panes = f"C{HEAD_ROW + 2}"
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 26
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    sheet.column_dimensions[get_column_letter(width)].width = 22
    sheet.row_dimensions[HEAD_ROW].height = 60


def report_xlsx(data: ReportData, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The report as xlsx, through the one writer: a campaign's name or theme and a unit's
    name are typed by people, so every text cell is neutralised (no live formula)."""

    def build(workbook: "Workbook") -> None:
        sheet = workbook.active
        sheet.title = _("Báo cáo")
        _sheet_top(sheet, data)
        _sheet_header(sheet, data)
        for number, line in enumerate(data.lines, start=1):
            _write_line(sheet, _line_values(number, line))
            if progress:
                progress(number, len(data.lines) + 1)
        _write_line(sheet, _line_values("", total_named(data.total_line)), bold=True)
        _sheet_signatures(sheet, data)
        _sheet_print_setup(sheet, data)

    with override("vi"):
        return styled_xlsx(build)


def total_named(line: ReportLine) -> ReportLine:
    row = Row(
        name=_("Tổng cộng: %(unit)s") % {"unit": line.row.name},
        url=None,
        cells=line.row.cells,
    )
    return ReportLine(row=row, volunteers=line.volunteers, coverage=line.coverage, state=line.state)


def report_build(attempt: Attempt) -> None:
    """Run by core.jobs.runner: build the xlsx, storing progress on the job as it goes."""
    job = ReportJob.objects.select_related("campaign", "area").get(pk=attempt.job.pk)
    data = report_data(campaign=job.campaign, area=job.area)
    attempt.progress(0, total=len(data.lines) + 1)
    content = report_xlsx(data, attempt.progress)
    # Only the latest attempt stores its file: an overtaken run's content is dropped.
    attempt.finish(JobStatus.DONE, content=content)


REPORT_JOBS = JobKind(
    model=ReportJob, run=report_build, failure=gettext_lazy("Lỗi khi lập báo cáo; hãy thử lại.")
)
