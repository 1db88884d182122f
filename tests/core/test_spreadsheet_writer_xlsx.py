"""The xlsx writer streams: cells keep their types, text stays text, memory stays flat."""

import datetime
import io
import math
import tracemalloc
import uuid
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import xlsxwriter
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.spreadsheets.writer import XLSX_OPTIONS, ExportSpec, neutralise, spec_bytes, write_xlsx


def _rows(count: int):
    for number in range(count):
        yield [number, f"Nguyễn Văn {number}", "Tổ dân phố 3", 1, number % 2, 0, "Đã hỗ trợ"]


def test_cells_keep_their_types_and_text_is_never_a_formula_a_number_or_a_link(tmp_path: Path):
    path = tmp_path / "out.xlsx"
    day = datetime.date(2026, 3, 1)
    row = [
        7,
        2.5,
        Decimal("3"),
        True,
        day,
        "0912 345 678",
        "https://tungnha.vn/x",
        "=1+1",
        "Dòng 1\r\nDòng 2",
        None,
        gettext_lazy("Đã hỗ trợ"),
    ]
    spec = ExportSpec([gettext_lazy("Mã"), *[f"c{n}" for n in range(10)]], 1, iter([row]))
    assert write_xlsx(path, spec, title="Lượt thăm", widths=True) == 1
    workbook = load_workbook(path)
    sheet = workbook["Lượt thăm"]
    header, values = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Mã"
    assert values[:4] == (7, 2.5, 3, True)
    assert values[4].date() == day
    assert values[5:9] == ("0912 345 678", "https://tungnha.vn/x", "'=1+1", "Dòng 1\nDòng 2")
    assert values[9:] == (None, "Đã hỗ trợ")
    assert not sheet._hyperlinks
    assert sheet.column_dimensions["A"].width >= 14


def test_a_small_sheet_in_memory_reads_back(tmp_path: Path):
    content = spec_bytes("xlsx", ExportSpec(["Mã", "Tên"], 3, _rows(3)))
    (tmp_path / "small.xlsx").write_bytes(content)
    rows = list(load_workbook(tmp_path / "small.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã", "Tên")
    assert [row[0] for row in rows[1:]] == [0, 1, 2]


def _peak_bytes(tmp_path: Path, count: int) -> int:
    tracemalloc.start()
    try:
        write_xlsx(tmp_path / f"{count}.xlsx", ExportSpec(["a"] * 7, count, _rows(count)))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_rows(tmp_path: Path):
    small, large = _peak_bytes(tmp_path, 1_000), _peak_bytes(tmp_path, 10_000)
    # Ten times the rows: the same peak, give or take the writer's buffers (an in-memory
    # workbook holds every row: ~5 MB at 10k rows here).
    assert large < small + 1_000_000, (small, large)


# --- The rows' XML is written by the writer itself, not cell by cell through xlsxwriter ------
AS_IS = (int, float, bool, type(None), Decimal, datetime.date, datetime.datetime, datetime.time)
CORPUS_TEXTS = [
    "Nguyễn Văn A",
    "=1+1",
    " =1+1",
    "\u200b@SUM(1)",
    "＝1+1",
    "-5",
    "a & b < c > d",
    "\"quoted\" and 'single'",
    "_x0041_ is not an escape",
    "\x01 a control \x1f character",
    "tab\tinside",
    "line\nbreak",
    "Dòng 1\r\nDòng 2\rDòng 3",
    "\r=1+1",
    " leading",
    "trailing ",
    "\u00a0no-break space first",
    "\x1c",
    "non-character \ufffe\uffff",
    "emoji 😀 past U+FFFF",
    "<b>not rich</b>",
    "",
]


def _corpus() -> tuple[list, list[list]]:
    headers = [gettext_lazy("Mã"), "=SUM(A1:A9)", "", *[f"c{n}" for n in range(3, 12)]]
    rows: list[list] = [
        [0, -5, 2**53 - 1, 2**53, -(2**53), 2**60, 10**17 + 1, 2.5, 0.1, 1e20, -0.0, 1 / 3],
        [1e-7, 123456789.125, Decimal("3"), Decimal("2.50"), Decimal("-0.001"), True, False],
        [datetime.date(2026, 3, 1), datetime.datetime(2026, 3, 1, 17, 5, 30)],
        [datetime.datetime(2026, 3, 1, 17, 5, tzinfo=datetime.UTC), datetime.time(13, 45)],
        [None, None, 5, None, "x", None],
        [None, "", None],  # nothing but blanks: no row at all
        [],
        [gettext_lazy("Đã hỗ trợ"), gettext_lazy(""), uuid.UUID(int=7), Fraction(1, 3)],
        [*range(20)],  # wider than the headers
        ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "d"],
    ]
    rows += [[text, len(text), text] for text in CORPUS_TEXTS]
    rows += [[text, text] for text in CORPUS_TEXTS]  # a second time: texts kept are the same
    return headers, rows


def _xlsxwriter_sheet(headers: list, rows: list[list], **options) -> bytes:
    """The same rows written cell by cell by xlsxwriter's own write_row, as write_xlsx wrote
    them before it wrote rows itself: text neutralised (CR as LF), the rest as it is."""

    def cells(row: list) -> list:
        return [
            value
            if type(value) in AS_IS
            else neutralise(str(value).replace("\r\n", "\n").replace("\r", "\n"))
            for value in row
        ]

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(options.get("title") or None)
    if options.get("widths"):
        for index, header in enumerate(headers):
            sheet.set_column(index, index, max(14, len(str(header)) + 4))
    for index, row in enumerate([headers, *rows]):
        assert sheet.write_row(index, 0, cells(row)) == 0
    workbook.close()
    return _sheet_xml(buffer.getvalue())


def _sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("options", [{}, {"title": "Lượt thăm", "widths": True}])
def test_rows_are_the_xml_that_xlsxwriter_writes_cell_by_cell(options):
    # Byte for byte, extent and styles included: a change in xlsxwriter shows up here.
    headers, rows = _corpus()
    content = spec_bytes("xlsx", ExportSpec(headers, len(rows), iter(rows)), **options)
    assert _sheet_xml(content) == _xlsxwriter_sheet(headers, rows, **options)


@pytest.mark.parametrize(
    ("headers", "rows"),
    [([], []), (["Mã"], []), ([], [[None, 3]]), ([None, None], [[None], [None, None, "x"]])],
)
def test_a_sheet_with_little_or_nothing_in_it_is_the_same_as_xlsxwriter_writes(headers, rows):
    content = spec_bytes("xlsx", ExportSpec(headers, len(rows), iter(rows)))
    assert _sheet_xml(content) == _xlsxwriter_sheet(headers, rows)


def test_many_rows_with_many_texts_are_the_same_as_xlsxwriter_writes():
    # Past the batch of rows held before a write, and past the texts kept for reuse.
    rows = [
        [number, f"Nhà {number % 5000}", "Tổ dân phố 1", f"={number}", number % 3 or None]
        for number in range(12_000)
    ]
    content = spec_bytes("xlsx", ExportSpec(["a"] * 5, len(rows), iter(rows)))
    assert _sheet_xml(content) == _xlsxwriter_sheet(["a"] * 5, rows)


def test_a_text_shaped_like_a_rich_string_is_text_and_cannot_smuggle_a_formula(tmp_path: Path):
    # xlsxwriter's constant-memory mode writes "<r>…</r>" into the sheet's XML as it is: a
    # typed name could close its cell and open a live formula. The writer escapes it instead.
    smuggled = (
        '<r><t>x</t></r></is></c><c r="B2"><f>HYPERLINK("http://evil.example","Bấm")</f>'
        '<v>Bấm</v></c><c r="C2" t="inlineStr"><is><r><t>y</t></r>'
    )
    path = tmp_path / "out.xlsx"
    write_xlsx(path, ExportSpec(["Tên"], 2, iter([[smuggled], ["<r>tên</r>", 1]])))
    sheet = load_workbook(path).active
    assert [[cell.data_type for cell in row] for row in sheet.iter_rows()] == [
        ["s", "n"],
        ["s", "n"],
        ["s", "n"],
    ]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Tên", None),
        (smuggled, None),
        ("<r>tên</r>", 1),
    ]


def test_a_text_past_excels_limit_is_cut_and_the_rest_of_its_row_is_kept(tmp_path: Path):
    path = tmp_path / "out.xlsx"
    long_text = "ạ" * 40_000
    astral = "a" * 32_766 + "😀"  # the emoji would be units 32,767 and 32,768: left out
    write_xlsx(path, ExportSpec(["a", "b"], 2, iter([[long_text, 7], [astral, 8]])))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1] == ("ạ" * 32_767, 7)
    assert rows[2] == ("a" * 32_766, 8)


@pytest.mark.parametrize("value", [math.nan, math.inf, Decimal("NaN"), Decimal("-Infinity")])
def test_a_number_a_sheet_cannot_hold_is_refused(tmp_path: Path, value):
    with pytest.raises(TypeError):
        write_xlsx(tmp_path / "out.xlsx", ExportSpec(["a"], 1, iter([[1, value]])))
