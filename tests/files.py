"""Hostile spreadsheets shared by every import's tests, made in code so each case is visible.

Any import reads through core.spreadsheets.reader, so each must refuse these the same way, fast
and without inflating them: an archive that inflates far beyond a real list (a zip bomb) and a
sheet that declares nested entities (an XML bomb, "billion laughs").
"""

import functools
import io
import zipfile

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
    before, _, after = base.read(SHEET).partition(b"</sheetData>")  # after the header row
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
