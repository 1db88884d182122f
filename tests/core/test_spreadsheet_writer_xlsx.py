"""The xlsx writer streams: cells keep their types, text stays text, memory stays flat."""

import datetime
import tracemalloc
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.spreadsheets.writer import ExportSpec, spec_bytes, write_xlsx


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
