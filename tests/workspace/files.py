"""The bad-file corpus (and good files), generated so that every case is visible in code."""

import io
import unicodedata
import zipfile

import openpyxl

from tests import files as spreadsheet_bombs

HOUSEHOLD_HEADERS = [
    "STT",
    "Họ tên chủ hộ",
    "Số nhà",
    "Ngõ/ngách",
    "Đường/phố",
    "Tổ dân phố",
    "Số điện thoại",
    "Số nhân khẩu",
]


def household_rows(count: int = 3, group: str = "Tổ dân phố 1") -> list[list]:
    return [
        [
            index,
            f"Nguyễn Văn {index}",
            str(index),
            f"Ngõ {index % 7 + 1}",
            "Phố Định Công",
            group,
            f"09{index:08d}",
            (index % 6) + 1,
        ]
        for index in range(1, count + 1)
    ]


def xlsx(rows: list[list], *, title_rows: list[list] | None = None, sheets: int = 1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in title_rows or []:
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    for number in range(2, sheets + 1):
        workbook.create_sheet(f"Trang {number}").append(["ghi chú"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def households_xlsx(count: int = 3, **kwargs) -> bytes:
    return xlsx([HOUSEHOLD_HEADERS, *household_rows(count)], **kwargs)


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 writes Vietnamese as a base letter (maybe with a hat) + one tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        tones = [mark for mark in marks if mark in TONES]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONES))
        out += letter.encode("cp1258") + "".join(tones).encode("cp1258")
    return out


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    lines = [delimiter.join(str(cell) for cell in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def households_csv(count: int = 3, **kwargs) -> bytes:
    return csv_bytes([HOUSEHOLD_HEADERS, *household_rows(count)], **kwargs)


def merged_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HOUSEHOLD_HEADERS)
    for row in household_rows(2):
        sheet.append(row)
    sheet.merge_cells("F2:F3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def formula_xlsx() -> bytes:
    rows = household_rows(2)
    rows[1][7] = "=1+2"
    return xlsx([HOUSEHOLD_HEADERS, *rows])


def xml_bomb_xlsx() -> bytes:
    """A workbook whose sheet XML declares nested entities (a "billion laughs")."""
    return spreadsheet_bombs.xml_bomb_xlsx(households_xlsx(1))


# Shared with every other import's tests (tests/files.py); imported from here as before.
zip_bomb_xlsx = spreadsheet_bombs.zip_bomb_xlsx


def with_shared_strings(content: bytes, strings_xml: str | None = None) -> bytes:
    """The same workbook as Excel saves it: text in xl/sharedStrings.xml, cells pointing at it
    (openpyxl writes text inline). `strings_xml` replaces the generated table."""
    import re

    source = zipfile.ZipFile(io.BytesIO(content))
    strings: list[str] = []

    def shared(match: re.Match) -> str:
        strings.append(match.group(3))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{len(strings) - 1}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>',
                    shared,
                    data.decode(),
                ).encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(item, data)
        table = strings_xml or (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{text}</t></si>" for text in strings)
            + "</sst>"
        )
        target.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


WARD_TITLE = "DANH SÁCH HỘ GIA ĐÌNH PHƯỜNG ĐỊNH CÔNG"
WARD_SUBTITLE = "(Kèm theo kế hoạch số 12/KH-ĐTN ngày 05/3/2026)"


def ward_list_xlsx(
    rows: list[list],
    *,
    headers: list[str] = HOUSEHOLD_HEADERS,
    subtitle: bool = True,
    total: bool = True,
    merge_total: bool = True,
) -> bytes:
    """A household list as wards keep it: a merged title row (and subtitle), a blank row, the
    header, the households, and a merged "Tổng cộng" row summing the members with a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    last = openpyxl.utils.get_column_letter(len(headers))
    titles = [WARD_TITLE, *([WARD_SUBTITLE] if subtitle else [])]
    for number, title in enumerate(titles, start=1):
        sheet.append([title])
        sheet.merge_cells(f"A{number}:{last}{number}")
    sheet.append([])
    sheet.append(headers)
    header_row = sheet.max_row
    for row in rows:
        sheet.append(row)
    if total:
        members = openpyxl.utils.get_column_letter(headers.index("Số nhân khẩu") + 1)
        row = ["Tổng cộng", *[None] * (len(headers) - 1)]
        row[headers.index("Số nhân khẩu")] = (
            f"=SUM({members}{header_row + 1}:{members}{sheet.max_row})"
        )
        sheet.append(row)
        if merge_total:
            sheet.merge_cells(f"A{sheet.max_row}:E{sheet.max_row}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def nfd(text: str) -> str:
    """`text` with decomposed accents, as some phones and Mac keyboards type it."""
    return unicodedata.normalize("NFD", text)
