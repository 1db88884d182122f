"""The one spreadsheet writer: every export, template and report goes through it.

Rows are written as they come (csv straight to disk, xlsx through openpyxl's write-only
workbook), so memory stays flat in the number of rows. Every text cell that a spreadsheet would
run as a formula is neutralised first (CSV injection): `neutralise` is the only such function.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


@dataclass
class ExportSpec:
    headers: list[str]
    total: int
    rows: Iterator[list]


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would evaluate (=, +, -, @, tab, CR first) gets a leading '."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def neutralise_row(row: list) -> list:
    return [neutralise(cell) for cell in row]


def write_csv(path: Path, spec: ExportSpec, progress: Callable[[int], None]) -> int:
    count = 0
    # utf-8-sig: Excel opens it with Vietnamese intact.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(neutralise_row(spec.headers))
        for row in spec.rows:
            writer.writerow(neutralise_row(row))
            count += 1
            if count % CHUNK == 0:
                progress(count)
    return count


def write_xlsx(path: Path, spec: ExportSpec, progress: Callable[[int], None]) -> int:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(neutralise_row(spec.headers))
    count = 0
    for row in spec.rows:
        sheet.append(neutralise_row(row))
        count += 1
        if count % CHUNK == 0:
            progress(count)
    workbook.save(path)
    return count
