"""The one spreadsheet writer: every export, template and report goes through it.

Rows are written as they come (csv straight to disk, xlsx through xlsxwriter's constant-memory
mode), so memory stays flat in the number of rows. Every text cell that a spreadsheet would run
as a formula is neutralised first (CSV injection): `neutralise` is the only such function.
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from openpyxl import Workbook

# What a spreadsheet reads as the start of a formula or a DDE call ("=cmd|' /C calc'!A0",
# "@SUM(…)", "+cmd|…", "-2+3"), and "|" that some spreadsheets take for a DDE link. Compared
# after NFKC, so the fullwidth and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫ ｜), which an IME types
# and some spreadsheets fold to ASCII on entry, are caught too.
_FORMULA_START = frozenset("=+-@|")
# A cell starting with these is run as a formula by some spreadsheets once they trim it.
_CONTROL_START = ("\t", "\r", "\n")
CHUNK = 2000
Progress = Callable[[int], None]


def _quiet(done: int) -> None:
    """No progress to report (a sheet written in one go)."""


@dataclass
class ExportSpec:
    headers: list[str]
    total: int
    rows: Iterator[list]


def _first_visible(text: str) -> str:
    """The first character a spreadsheet sees once it trims whitespace and invisible marks
    (a BOM, a zero-width space), folded NFKC ("＝" → "=")."""
    for char in text:
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        return unicodedata.normalize("NFKC", char)[:1]
    return ""


def is_formula_like(value: object) -> bool:
    """Would a spreadsheet evaluate this text cell? Only str: numbers (-5) stay numbers."""
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(_CONTROL_START) or _first_visible(value) in _FORMULA_START


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would evaluate gets a leading ' (shown as text, not run):
    =, +, -, @, | first (also fullwidth, and after spaces or invisible marks), or a tab, CR
    or LF first. Anything that is not a str is returned as it is."""
    if is_formula_like(value):
        return "'" + value
    return value


def neutralise_row(row: list) -> list:
    return [neutralise(cell) for cell in row]


def neutralise_workbook(workbook: "Workbook") -> "Workbook":
    """Every text cell of every sheet through `neutralise`, whoever wrote it: a styled
    workbook (merges, fonts, widths) is built freely and made safe in one place."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    cell.value = neutralise(cell.value)
    return workbook


def styled_xlsx(build: Callable[["Workbook"], None]) -> bytes:
    """An xlsx built by `build` on a fresh (styled, not write-only) workbook, every text cell
    neutralised before it is saved: for reports whose layout write_xlsx cannot express."""
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    neutralise_workbook(workbook).save(buffer)
    return buffer.getvalue()


def write_csv(target: Path | BinaryIO, spec: ExportSpec, progress: Progress = _quiet) -> int:
    """Rows to csv, to a file path or a binary stream; returns how many rows were written."""
    with ExitStack() as stack:
        raw = stack.enter_context(target.open("wb")) if isinstance(target, Path) else target
        # utf-8-sig: Excel opens it with Vietnamese intact.
        handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", write_through=True)
        stack.callback(handle.detach)  # leave the caller's stream open
        writer = csv.writer(handle)
        writer.writerow(neutralise_row(spec.headers))
        count = 0
        for row in spec.rows:
            writer.writerow(neutralise_row(row))
            count += 1
            if count % CHUNK == 0:
                progress(count)
        handle.flush()
    return count


# What a cell holds as it is: numbers, booleans, dates (no text: text is neutralised).
_AS_IS = frozenset(
    {int, float, bool, type(None), Decimal, datetime.date, datetime.datetime, datetime.time}
)


def _xlsx_cell(value: object) -> object:
    """A cell that is not a plain number or date: text, neutralised. Anything else (a lazy
    translation, a UUID) is written as its text."""
    text = value if isinstance(value, str) else str(value)
    if "\r" in text:
        # A line break is LF in a sheet's XML: a CR would be kept as the escape "_x000D_",
        # which Excel reads back but openpyxl (our own reader) does not.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return neutralise(text)


def _xlsx_row(row: list) -> list:
    # One pass, numbers untouched: a visit export is mostly counts.
    return [value if type(value) in _AS_IS else _xlsx_cell(value) for value in row]


def write_xlsx(
    target: Path | BinaryIO,
    spec: ExportSpec,
    progress: Progress = _quiet,
    *,
    title: str = "",
    widths: bool = False,
) -> int:
    """Rows to an xlsx in constant memory; `widths` sizes columns to their headers.

    Written by xlsxwriter's constant-memory mode: each row goes to a temporary file as it comes
    and the workbook is zipped at the end, several times the speed of openpyxl's write-only
    workbook (which, without lxml, serialises through a pure-Python XML tree). Text is only
    ever text: no string becomes a formula, a number or a link, and every cell passes
    `neutralise` first as in csv."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
            "default_date_format": "dd/mm/yyyy",
        },
    )
    try:
        sheet = workbook.add_worksheet(title[:31] or None)
        if widths:
            for index, header in enumerate(spec.headers):
                sheet.set_column(index, index, max(14, len(str(header)) + 4))
        sheet.write_row(0, 0, _xlsx_row(spec.headers))
        count = 0
        for row in spec.rows:
            count += 1
            sheet.write_row(count, 0, _xlsx_row(row))
            if count % CHUNK == 0:
                progress(count)
    finally:
        workbook.close()
    return count


def spec_bytes(fmt: str, spec: ExportSpec, **xlsx_options: Any) -> bytes:
    """A small sheet (a template, a page's export) written in memory as csv or xlsx."""
    buffer = io.BytesIO()
    if fmt == "csv":
        write_csv(buffer, spec)
    else:
        write_xlsx(buffer, spec, **xlsx_options)
    return buffer.getvalue()
