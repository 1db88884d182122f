"""Reading spreadsheets people actually send: xlsx or csv, Vietnamese headers, anything can be off.

`open_table` turns bytes into rows keyed by our column names, or refuses the file with one clear
sentence (FileRefused). It never guesses an encoding it cannot prove: UTF-8 (with or without a
BOM) and UTF-16 with a BOM are read; anything else is refused rather than shown garbled.
Excel files: the first sheet only (a note says so when there are more), values only (a formula
is a row error). openpyxl reads the workbook's structure (through defusedxml); the cells and
shared strings are streamed by a small expat reader (SheetReader) that refuses any DTD, so no
entity can expand (no XML bomb), and that is ~4x faster than openpyxl's own cell reader.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import search_key

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 400 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, per zip member: more is a zip bomb
HEADER_SEARCH_ROWS = 10
EXTENSIONS = (".xlsx", ".csv")
# Text read as cp1252/latin-1 and saved again as UTF-8 ("Há»\x8d tÃªn"): refuse, never store.
_MOJIBAKE = re.compile(r"[ÃÂÄÅÆ][\u0080-\u00bf]|á»|áº|Ä‘|Æ°")


class FileRefused(Exception):
    """The whole file cannot be read; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise  # the header written in the template file
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""

    def names(self) -> set[str]:
        return {search_key(str(self.label))} | {search_key(alias) for alias in self.aliases}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Table:
    """Rows of the first sheet after its header row, as {column key: cell value}."""

    header_row: int
    columns: dict[str, int]  # our key -> 0-based position
    headers: dict[str, str]  # our key -> the header as written in the file
    rows: Iterator[tuple[int, dict[str, object], list[str]]]  # number, values, formula keys
    warnings: list[str] = field(default_factory=list)
    # Header cells that name none of our columns, as written: an import that must not drop a
    # column silently (a misspelt target indicator) refuses the file when this is not empty.
    unknown: list[str] = field(default_factory=list)


def _unknown_headers(cells: list, found: dict[str, int]) -> list[str]:
    taken = set(found.values())
    return [
        str(cell).strip()
        for index, cell in enumerate(cells)
        if index not in taken and str(cell if cell is not None else "").strip()
    ]


def _header_key(value: object) -> str:
    text = search_key(str(value or ""))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _match_header(cells: list, columns: list[Column]) -> tuple[dict[str, int], dict[str, str]]:
    lookup = {}
    for column in columns:
        for key in column.names():
            lookup[_header_key(key)] = column.key
    found: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        key = lookup.get(_header_key(cell))
        if key and key not in found:
            found[key] = index
            headers[key] = str(cell).strip()
    return found, headers


def check_upload(*, name: str, size: int) -> None:
    lower = name.lower()
    if lower.endswith(".xls"):
        raise FileRefused(
            _("Tệp .xls (Excel 97-2003) không được hỗ trợ. Hãy mở và lưu lại thành .xlsx.")
        )
    if not lower.endswith(EXTENSIONS):
        raise FileRefused(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    if size == 0:
        raise FileRefused(_("Tệp rỗng."))
    if size > MAX_BYTES:
        raise FileRefused(_("Tệp lớn hơn 50 MB. Hãy chia thành nhiều tệp nhỏ hơn."))


def open_table(*, content: bytes, filename: str, columns: list[Column]) -> Table:
    check_upload(name=filename, size=len(content))
    if filename.lower().endswith(".csv"):
        return _open_csv(content, columns)
    return _open_xlsx(content, columns)


# --- csv -----------------------------------------------------------------------------------------
def decode_csv(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = content.decode("utf-16")  # Excel's "Unicode text": converted, nothing lost
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused(
                _(
                    "Tệp CSV không ở bảng mã UTF-8 (có thể là Windows-1258/TCVN3), nên tiếng "
                    "Việt sẽ bị lỗi font. Trong Excel hãy chọn Lưu thành → “CSV UTF-8”."
                )
            ) from None
    if "\x00" in text[:4096]:
        raise FileRefused(_("Tệp CSV chứa ký tự lạ (có thể là UTF-16 không có BOM)."))
    if _MOJIBAKE.search(text[:65536]):
        raise FileRefused(
            _(
                "Tiếng Việt trong tệp đã bị lỗi font (ví dụ “Ã”, “á»”) trước khi lưu. Hãy lấy "
                "lại tệp gốc và lưu thành “CSV UTF-8”."
            )
        )
    return text


def _delimiter(lines: list[str]) -> str:
    best, best_count = ",", 0
    for delimiter in (";", ",", "\t"):
        count = max((line.count(delimiter) for line in lines), default=0)
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _open_csv(content: bytes, columns: list[Column]) -> Table:
    text = decode_csv(content)
    if not text.strip():
        raise FileRefused(_("Tệp rỗng."))
    head = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(head))
    number = 0
    for number, cells in enumerate(reader, start=1):
        found, headers = _match_header(cells, columns)
        if _is_header(found, columns):
            _require(found, columns)

            def rows(reader=reader, start=number, found=found) -> Iterator:
                for row_number, cells in enumerate(reader, start=start + 1):
                    values = {
                        key: (cells[index] if index < len(cells) else None)
                        for key, index in found.items()
                    }
                    yield row_number, values, []

            return Table(
                header_row=number,
                columns=found,
                headers=headers,
                rows=rows(),
                unknown=_unknown_headers(cells, found),
            )
        if number >= HEADER_SEARCH_ROWS:
            break
    raise _no_header(columns)


def _is_header(found: dict[str, int], columns: list[Column]) -> bool:
    """Two known headers, or every required one (a one-column list such as group names)."""
    required = {column.key for column in columns if column.required}
    return len(found) >= 2 or bool(found and required and required <= found.keys())


def _no_header(columns: list[Column]) -> FileRefused:
    names = ", ".join(f"“{column.label}”" for column in columns if column.required)
    return FileRefused(
        _(
            "Không tìm thấy dòng tiêu đề trong %(rows)d dòng đầu. Dòng tiêu đề cần có các cột: "
            "%(names)s. Hãy tải tệp mẫu và làm theo."
        )
        % {"rows": HEADER_SEARCH_ROWS, "names": names}
    )


def _require(found: dict[str, int], columns: list[Column]) -> None:
    missing = [f"“{column.label}”" for column in columns if column.required]
    missing = [
        f"“{column.label}”" for column in columns if column.required and column.key not in found
    ]
    if missing:
        raise FileRefused(
            _("Thiếu cột bắt buộc: %(names)s. Hãy tải tệp mẫu để xem tên cột.")
            % {"names": ", ".join(missing)}
        )


# --- xlsx ----------------------------------------------------------------------------------------
def _check_zip(content: bytes) -> zipfile.ZipFile:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise FileRefused(_("Tệp không phải là tệp Excel .xlsx hợp lệ."))
    archive = zipfile.ZipFile(io.BytesIO(content))
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNZIPPED or (member.file_size > 1_000_000 and ratio > MAX_RATIO):
            raise FileRefused(
                _("Tệp Excel bất thường (nén quá mức, có thể là tệp độc hại). Không đọc.")
            )
    return archive


def _has_merged_cells(archive: zipfile.ZipFile, path: str) -> bool:
    """openpyxl's read-only sheets do not report merges: look for them in the sheet's XML."""
    tail = b""
    with archive.open(path.lstrip("/")) as source:
        while chunk := source.read(1 << 20):
            if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
                return True
            tail = chunk[-32:]
    return False


def _workbook(content: bytes):
    """The workbook's structure (sheets, styles) through openpyxl, without its cells: openpyxl
    reads cells and shared strings through defusedxml's pure-Python parser, ~8x slower than
    the expat reader below, which refuses any DTD (no entities, so no XML bomb) all the same."""
    from openpyxl.reader.excel import ExcelReader

    class _Structure(ExcelReader):
        strings_path: str | None = None

        def read_strings(self) -> None:
            from openpyxl.xml.constants import SHARED_STRINGS

            found = self.package.find(SHARED_STRINGS)
            self.strings_path = found.PartName[1:] if found is not None else None

    reader = _Structure(io.BytesIO(content), read_only=True, data_only=False)
    reader.read()
    return reader.wb, reader.strings_path


def _open_xlsx(content: bytes, columns: list[Column]) -> Table:
    archive = _check_zip(content)
    try:
        workbook, strings_path = _workbook(content)
    except FileRefused:
        raise
    except Exception as error:  # defusedxml's refusals, broken archives, not-a-workbook
        raise FileRefused(
            _("Không đọc được tệp Excel (tệp hỏng hoặc chứa nội dung không an toàn).")
        ) from error
    warnings = []
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileRefused(_("Tệp Excel không có trang tính nào."))
    if len(workbook.sheetnames) > 1:
        warnings.append(
            _("Tệp có %(count)d trang tính; chỉ đọc trang đầu tiên “%(name)s”.")
            % {"count": len(workbook.sheetnames), "name": sheet.title}
        )
    if _has_merged_cells(archive, sheet._worksheet_path):
        raise FileRefused(
            _(
                "Trang tính có ô gộp (Merge cells). Hãy bỏ gộp ô (Unmerge) để mỗi dòng là một "
                "hộ/người, rồi tải lên lại."
            )
        )
    try:
        strings = _shared_strings(archive, strings_path) if strings_path else []
        reader = SheetReader(
            archive.open(sheet._worksheet_path.lstrip("/")),
            strings=strings,
            epoch=workbook.epoch,
            date_styles=workbook._date_formats,
            timedelta_styles=workbook._timedelta_formats,
        )
        iterator = iter(reader)
        for number, cells in iterator:
            if number > HEADER_SEARCH_ROWS:
                break
            width = max(cells, default=-1) + 1
            values = [cells.get(index, (None, False))[0] for index in range(width)]
            found, headers = _match_header(values, columns)
            if _is_header(found, columns):
                _require(found, columns)
                return Table(
                    header_row=number,
                    columns=found,
                    headers=headers,
                    rows=_xlsx_rows(iterator, found),
                    warnings=warnings,
                    unknown=_unknown_headers(values, found),
                )
    except FileRefused:
        raise
    except Exception as error:
        raise FileRefused(
            _("Không đọc được tệp Excel (tệp hỏng hoặc chứa nội dung không an toàn).")
        ) from error
    raise _no_header(columns)


def _xlsx_rows(iterator, found: dict[str, int]) -> Iterator:
    positions = sorted(found.items(), key=lambda item: item[1])
    try:
        for number, cells in iterator:
            values: dict[str, object] = {}
            formulas: list[str] = []
            for key, index in positions:
                value, formula = cells.get(index, (None, False))
                if formula:
                    formulas.append(key)
                    value = None
                values[key] = value
            yield number, values, formulas
    except FileRefused:
        raise
    except Exception as error:
        raise FileRefused(
            _("Không đọc được tệp Excel (tệp hỏng hoặc chứa nội dung không an toàn).")
        ) from error


class _Refused(Exception):
    pass


def _expat():
    """An expat parser that refuses what no spreadsheet needs: a DTD, entities, external refs."""
    import pyexpat

    def refuse(*_args):
        raise _Refused("DTD or entity in a spreadsheet part")

    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _shared_strings(archive: zipfile.ZipFile, path: str) -> list[str]:
    """xl/sharedStrings.xml: one <si> per string, plain (<t>) or in runs (<r><t>), phonetic
    hints (<rPh>) left out, as openpyxl reads them."""
    strings: list[str] = []
    parts: list[str] = []
    state = {"t": False, "skip": 0}

    def start(name, _attrs):
        name = _local(name)
        if name == "t":
            state["t"] = True
        elif name in ("rPh", "phoneticPr"):
            state["skip"] += 1

    def end(name):
        name = _local(name)
        if name == "t":
            state["t"] = False
        elif name in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif name == "si":
            strings.append("".join(parts).replace("x005F_", ""))
            parts.clear()

    def text(data):
        if state["t"] and not state["skip"]:
            parts.append(data)

    parser = _expat()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with archive.open(path.lstrip("/")) as source:
        parser.ParseFile(source)
    return strings


_LETTERS = re.compile(r"[A-Za-z]+")


def _column_index(reference: str) -> int | None:
    match = _LETTERS.match(reference)
    if not match:
        return None
    index = 0
    for letter in match.group(0).upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


class SheetReader:
    """A worksheet's rows, streamed: (row number, {0-based column: (value, is formula)}).

    Values as openpyxl gives them (shared and inline strings, numbers as int or float, dates
    from date-styled numbers, booleans); a cell with a formula comes as (None, True). Rows with
    no cell are not yielded, so numbers may jump, as in the sheet.
    """

    def __init__(self, source, *, strings, epoch, date_styles, timedelta_styles) -> None:
        self.source = source
        self.strings = strings
        self.epoch = epoch
        self.date_styles = {int(style) for style in date_styles}
        self.timedelta_styles = {int(style) for style in timedelta_styles}

    def __iter__(self) -> Iterator[tuple[int, dict[int, tuple[object, bool]]]]:
        ready: list = []
        row: dict[int, tuple[object, bool]] = {}
        cell = {"type": "n", "style": 0, "column": -1, "formula": False}
        state = {"row": 0, "column": -1, "in_row": False, "text": None, "is": False, "skip": 0}
        texts: list[str] = []
        value_parts: list[str] = []

        def start(name, attrs):
            name = _local(name)
            if name == "c":
                reference = attrs.get("r")
                column = _column_index(reference) if reference else None
                state["column"] = state["column"] + 1 if column is None else column
                cell["column"] = state["column"]
                cell["type"] = attrs.get("t", "n")
                cell["style"] = attrs.get("s", "0")
                cell["formula"] = False
                texts.clear()
                value_parts.clear()
            elif name == "v":
                state["text"] = value_parts
            elif name == "t" and state["is"] and not state["skip"]:
                state["text"] = texts
            elif name == "is":
                state["is"] = True
            elif name == "rPh":
                state["skip"] += 1
            elif name == "f":
                cell["formula"] = True
            elif name == "row":
                number = attrs.get("r")
                state["row"] = int(float(number)) if number else state["row"] + 1
                state["column"] = -1
                state["in_row"] = True
                row.clear()

        def end(name):
            name = _local(name)
            if name in ("v", "t"):
                state["text"] = None
            elif name == "is":
                state["is"] = False
            elif name == "rPh":
                state["skip"] -= 1
            elif name == "c":
                if cell["formula"]:
                    row[cell["column"]] = (None, True)
                else:
                    value = self._value(cell["type"], cell["style"], value_parts, texts)
                    if value is not None:
                        row[cell["column"]] = (value, False)
            elif name == "row":
                state["in_row"] = False
                if row:
                    ready.append((state["row"], dict(row)))

        def text(data):
            target = state["text"]
            if target is not None:
                target.append(data)

        parser = _expat()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        with self.source as source:
            while chunk := source.read(1 << 16):
                parser.Parse(chunk, False)
                if ready:
                    yield from ready
                    ready.clear()
            parser.Parse(b"", True)
        yield from ready

    def _value(self, kind: str, style: str, value_parts: list[str], texts: list[str]) -> object:
        if kind == "inlineStr":
            return "".join(texts) if texts else None
        raw = "".join(value_parts)
        if not raw:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "n":
            number = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
            style_id = int(style or 0)
            if style_id in self.date_styles:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(
                        number, self.epoch, timedelta=style_id in self.timedelta_styles
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"
            if isinstance(number, float) and number.is_integer():
                return int(number)
            return number
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(raw)
        return raw  # "str" (a formula's cached text, here without its formula), "e" errors


def text_of(value: object) -> str:
    """A cell as trimmed text ("" for empty); whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


FORMULA_MESSAGE = gettext_lazy(
    "Ô có công thức. Hãy chép rồi dán “chỉ giá trị” (Paste Special → Values)."
)
