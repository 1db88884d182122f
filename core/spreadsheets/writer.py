"""The one spreadsheet writer: every export, template and report goes through it.

Rows are written as they come (csv straight to disk, xlsx through xlsxwriter's constant-memory
mode), so memory stays flat in the number of rows. Every text cell that a spreadsheet would run
as a formula is neutralised first (CSV injection): `neutralise` is the only such function.
"""

import csv
import datetime
import io
import math
import re
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


# The verdict of `is_formula_like` by a text's first character, for the characters that decide
# it alone: visible ones (not whitespace, not an invisible mark), whose NFKC form is the first
# thing a spreadsheet sees. An export asks this for every text cell, and most of its texts start
# with a handful of letters and digits. Capped, so that odd characters cannot grow it for ever.
_VERDICT_BY_FIRST: dict[str, bool] = {}
_VERDICTS_KEPT = 4096


def is_formula_like(value: object) -> bool:
    """Would a spreadsheet evaluate this text cell? Only str: numbers (-5) stay numbers."""
    if not isinstance(value, str) or not value:
        return False
    first = value[0]
    verdict = _VERDICT_BY_FIRST.get(first)
    if verdict is None:
        verdict = value.startswith(_CONTROL_START) or _first_visible(value) in _FORMULA_START
        # A space or a mark first: the verdict depends on what follows, so it is not kept.
        decides = not first.isspace() and unicodedata.category(first) != "Cf"
        if decides and len(_VERDICT_BY_FIRST) < _VERDICTS_KEPT:
            _VERDICT_BY_FIRST[first] = verdict
    return verdict


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
# Text stays text (no formulas, numbers or links read into it); dates as days, no zone.
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "remove_timezone": True,
    "default_date_format": "dd/mm/yyyy",
}
_NUMBERS = frozenset({int, float, Decimal})
_DATES = frozenset({datetime.date, datetime.datetime, datetime.time})
# An int of less than 2**53 either way is exact as a float, so its digits are what xlsxwriter's
# "%.16G" prints: str() of it is the same, and faster.
_EXACT_INT = 2**53
# Excel's longest text, in UTF-16 units; no text of half as many characters can pass it.
_TEXT_MAX = 32767
# The texts that need more than their characters in a sheet's XML: a control character
# (written as the escape _xHHHH_), a literal "_xHHHH_" (escaped so that it is not read as one),
# the two non-characters, and the XML specials.
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _xlsx_cell(value: object) -> str:
    """A cell that is not a plain number or date: text, neutralised. Anything else (a lazy
    translation, a UUID) is written as its text."""
    text = value if isinstance(value, str) else str(value)
    if "\r" in text:
        # A line break is LF in a sheet's XML: a CR would be kept as the escape "_x000D_",
        # which Excel reads back but openpyxl (our own reader) does not.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return neutralise(text)


def _blank(value: object) -> bool:
    """Is this a cell that xlsxwriter leaves out: None, or a text that is empty?"""
    return value is None or (type(value) not in _AS_IS and not _xlsx_cell(value))


def _utf16_cut(text: str) -> str:
    """`text` cut to Excel's limit of UTF-16 units, never inside a character past U+FFFF."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > _TEXT_MAX:
            return text[:index]
    return text


def _inline_text(text: str) -> str:
    """A (neutralised) text as the body of an inline-string cell, escaped as xlsxwriter escapes
    text, except that nothing is ever passed through raw (see `_SheetRows`)."""
    if len(text) > _TEXT_MAX // 2:
        text = _utf16_cut(text)
    if _NEEDS_ESCAPE.search(text):
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text[0].isspace() or text[-1].isspace():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


class _SheetRows:
    """Writes whole rows of a constant-memory xlsxwriter sheet as XML, in batches of rows.

    xlsxwriter's own write_row costs a dozen Python calls a cell (type dispatch, a cell tuple,
    then the cell's XML built attribute by attribute): two thirds of a visit export. Here
    each cell is one f-string, in exactly the XML xlsxwriter writes for it (the tests compare
    the two byte for byte), into the sheet's row file, which xlsxwriter copies into the sheet
    when the book closes; the sheet is told the rows' extent, so its <dimension> is the same.
    One difference, on purpose: in constant-memory mode xlsxwriter writes a text that starts
    "<r>" and ends "</r>" into the XML as it is (a rich string), so a typed name could carry a
    live formula into the sheet; here every text is escaped.
    """

    BATCH = 256  # rows held before a write: one write a batch, memory still flat

    def __init__(self, workbook: Any, sheet: Any) -> None:
        from xlsxwriter.utility import xl_col_to_name

        if not sheet.constant_memory or sheet.table or sheet.dim_rowmin is not None:
            raise ValueError("a constant-memory sheet with nothing written yet")
        self.sheet = sheet
        self.fh = sheet.fh  # the row file
        self.column_name = xl_col_to_name
        self.columns: list[str] = []
        self.date_format = workbook.default_date_format
        self.date_style: str | None = None
        # The XML of recent short texts: an export repeats its names, labels and dates.
        self.texts: dict[str, str] = {}
        self.pending: list[str] = []
        self.extent: list[int] | None = None  # first row, first column, last row, last column

    def write(self, index: int, row: list) -> None:
        """Row `index` (from 0) of the sheet; text is neutralised (`_xlsx_cell`) and escaped."""
        if index >= self.sheet.xls_rowmax:
            return  # past Excel's last row: left out, as xlsxwriter leaves it
        if len(self.columns) < len(row):
            self._widen(len(row))
        number = str(index + 1)
        exact = _EXACT_INT
        text = self.texts.get
        parts = [f'<row r="{number}">']
        cell = parts.append
        blanks = False
        # The hot loop: one branch and one f-string a cell, most frequent types first.
        for letter, value in zip(self.columns, row, strict=False):  # columns may be wider
            kind = type(value)
            if kind is int and -exact < value < exact:
                cell(f'<c r="{letter}{number}"><v>{value}</v></c>')
            elif kind is str:
                body = text(value) or self._text(value)
                if body:
                    cell(f'<c r="{letter}{number}" t="inlineStr">{body}</c>')
                else:
                    blanks = True
            elif value is None:
                blanks = True
            else:
                rest = self._cell(value)
                if rest:
                    cell(f'<c r="{letter}{number}"{rest}</c>')
                else:
                    blanks = True
        first, last = 0, len(row) - 1
        if blanks:
            kept = [column for column, value in enumerate(row) if not _blank(value)]
            if not kept:
                return  # nothing but blanks: no <row>, as xlsxwriter writes it
            first, last = kept[0], kept[-1]
        elif last < 0:
            return
        cell("</row>")
        self.pending.append("".join(parts))
        if self.extent is None:
            self.extent = [index, first, index, last]
        else:
            extent = self.extent
            extent[2] = index
            if first < extent[1]:
                extent[1] = first
            if last > extent[3]:
                extent[3] = last
        if len(self.pending) >= self.BATCH:
            self.flush()

    def _widen(self, width: int) -> None:
        if width > self.sheet.xls_colmax:
            raise ValueError(f"{width} columns: more than a sheet holds")
        self.columns.extend(self.column_name(n) for n in range(len(self.columns), width))

    def flush(self) -> None:
        """Everything written so far into the row file, and the sheet told its extent."""
        self.fh.write("".join(self.pending))
        self.pending.clear()
        if self.extent is not None:
            top, left, bottom, right = self.extent
            self.sheet._check_dimensions(top, left)
            self.sheet._check_dimensions(bottom, right)

    def _text(self, value: str) -> str:
        """A text's cell body, neutralised and escaped; "" for a blank (an empty text)."""
        text = _xlsx_cell(value)
        if not text:
            return ""
        body = _inline_text(text)
        if len(value) <= 64:  # only short ones are kept, so that the cache stays small
            if len(self.texts) >= 4096:
                self.texts.clear()
            self.texts[value] = body
        return body

    def _cell(self, value: object) -> str:
        """A cell's type, style and value, from after its reference to its close: '><v>5</v>'
        for a number, ' t="b"><v>1</v>' for a boolean; "" for a blank (an empty text)."""
        kind = type(value)
        if kind in _NUMBERS:
            if kind is not int and not math.isfinite(value):
                raise TypeError(f"{value} is not a number a sheet can hold")
            return f"><v>{value:.16G}</v>"
        if kind is bool:
            return f' t="b"><v>{int(value)}</v>'
        if kind in _DATES:
            serial = self.sheet._convert_date_time(value)
            return f"{self._date_style()}><v>{serial:.16G}</v>"
        text = _xlsx_cell(value)
        return f' t="inlineStr">{_inline_text(text)}' if text else ""

    def _date_style(self) -> str:
        """The date format's style attribute (its index is fixed the first time it is asked,
        as xlsxwriter fixes it when it writes its first date)."""
        if self.date_style is None:
            style = self.date_format
            self.date_style = f' s="{style._get_xf_index()}"' if style else ""
        return self.date_style


def write_xlsx(
    target: Path | BinaryIO,
    spec: ExportSpec,
    progress: Progress = _quiet,
    *,
    title: str = "",
    widths: bool = False,
) -> int:
    """Rows to an xlsx in constant memory; `widths` sizes columns to their headers.

    Written in xlsxwriter's constant-memory mode: each row goes to a temporary file as it comes
    and the workbook is zipped at the end, several times the speed of openpyxl's write-only
    workbook (which, without lxml, serialises through a pure-Python XML tree); the rows' XML
    is written by `_SheetRows`. Text is only ever text: no string becomes a formula, a number
    or a link, and every cell passes `neutralise` first as in csv."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, dict(XLSX_OPTIONS))
    try:
        sheet = workbook.add_worksheet(title[:31] or None)
        if widths:
            for index, header in enumerate(spec.headers):
                sheet.set_column(index, index, max(14, len(str(header)) + 4))
        rows = _SheetRows(workbook, sheet)
        rows.write(0, spec.headers)
        count = 0
        for row in spec.rows:
            count += 1
            rows.write(count, row)
            if count % CHUNK == 0:
                progress(count)
        rows.flush()
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
