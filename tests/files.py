"""Hostile spreadsheets shared by every import's tests, made in code so each case is visible.

Any import reads through core.spreadsheets.reader, so each must refuse these the same way, fast
and without inflating them: an archive that inflates far beyond a real list (a zip bomb) and a
sheet that declares nested entities (an XML bomb, "billion laughs").
"""

import contextlib
import functools
import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"


def xlsx_of(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace_sheet(base: bytes, sheet_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == SHEET else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


def billion_laughs_sheet(levels: int = 9) -> bytes:
    """A worksheet whose one cell expands to 10**levels "lol"s if entities are honoured."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels + 1)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE lolz [{''.join(entities)}]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol{levels};</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def xml_bomb_xlsx(base: bytes, *, levels: int = 3) -> bytes:
    """`base` (a real workbook) with its sheet replaced by a billion-laughs sheet."""
    return _replace_sheet(base, billion_laughs_sheet(levels))


def zip_bomb_xlsx() -> bytes:
    """A valid-looking archive whose sheet inflates far beyond any real ward list."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr(SHEET, b" " * (60 * 1024 * 1024))
    return out.getvalue()


@functools.cache
def inflating_workbook_xlsx(header: tuple[str, ...], megabytes: int = 150) -> bytes:
    """A real workbook (it opens in Excel) whose sheet, under `header`, holds `megabytes` of
    identical rows: ~150 KB on the wire, as the file that kept a web request busy for a
    minute. Written streamed, so making it costs no memory; cached per header (made once)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_of([list(header)])))
    # No <dimension>: openpyxl would stop at the size it declares; a hostile file has none.
    sheet = re.sub(rb"<dimension [^>]*/>", b"", base.read(SHEET))
    before, _, after = sheet.partition(b"</sheetData>")  # after the header row
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>1</v></c><c t="n"><v>1</v></c></row>'
    block = row * (1024 * 1024 // len(row) + 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in base.infolist():
            if item.filename != SHEET:
                target.writestr(item, base.read(item.filename))
                continue
            with target.open(SHEET, "w", force_zip64=True) as stream:
                stream.write(before)
                for _ in range(megabytes):
                    stream.write(block)
                stream.write(b"</sheetData>" + after)
    return out.getvalue()


@dataclass
class Cost:
    seconds: float = 0.0
    peak_bytes: int = 0  # Python allocations (tracemalloc), the part a bomb would inflate


@contextlib.contextmanager
def cost() -> Iterator[Cost]:
    """The time and peak memory of the block: a refusal must be quick and small."""
    spent = Cost()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield spent
    finally:
        spent.seconds = time.perf_counter() - start
        spent.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


# Under tracemalloc (which slows Python severalfold) on a shared 2-core CI box, a refusal has
# taken up to 3 s; a reader that inflates the file takes far longer (the 150 MB workbook kept a
# request busy for a minute). The memory bound is the sharper guard.
MAX_SECONDS = 6
MAX_PEAK_BYTES = 150 * 1024 * 1024


def bombs(header: tuple[str, ...]) -> list[tuple[str, object, str]]:
    """(id, maker, what the refusal says) for an import whose header row is `header`."""
    return [
        ("zip-bomb", zip_bomb_xlsx, "nén quá mức"),
        ("inflating-workbook", lambda: inflating_workbook_xlsx(header), "nén quá mức"),
        (
            "billion-laughs",
            lambda: xml_bomb_xlsx(xlsx_of([list(header)]), levels=9),
            "không an toàn",
        ),
    ]
