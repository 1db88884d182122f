"""xlsx files: the zip checked before anything is unpacked (zip bombs), the workbook's structure
through openpyxl and defusedxml, the cells and shared strings streamed by a small expat reader
that refuses any DTD (no entity can expand: no XML bomb)."""

import io
import re
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .table import (
    HEADER_SEARCH_ROWS,
    MAX_RATIO,
    MAX_UNZIPPED,
    Column,
    FileRefused,
    IdWatch,
    Table,
    _is_header,
    _match_header,
    _no_header,
    _require,
    _unknown_headers,
    is_total_row,
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


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*?ref="[A-Za-z]*(\d+)(?::[A-Za-z]*(\d+))?"')


def _merged_rows(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int]]:
    """(first row, last row) of every merged range: openpyxl's read-only sheets do not report
    merges, so they are read from the sheet's XML (they come after its cells)."""
    spans: set[tuple[int, int]] = set()
    tail = b""
    with archive.open(path.lstrip("/")) as source:
        while chunk := source.read(1 << 20):
            window = tail + chunk
            if b"mergeCell " in window:
                for match in _MERGE.finditer(window):
                    first = int(match.group(1))
                    spans.add((first, int(match.group(2) or first)))
            tail = chunk[-256:]
    return sorted(spans)


def _merged_refused(row: int) -> FileRefused:
    return FileRefused(
        _(
            "Trang tính có ô gộp (Merge cells) ở dòng %(row)d, trong phần dữ liệu. Hãy bỏ gộp ô "
            "(Unmerge) để mỗi dòng là một hộ/người, rồi tải lên lại."
        )
        % {"row": row}
    )


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
    # Merged title rows above the header are how ward lists begin; a merge in the header or
    # the data shifts columns (refused), but for a merged total row, which is left out anyway.
    merges = _merged_rows(archive, sheet._worksheet_path)
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
                if any(first <= number <= last for first, last in merges):
                    raise _merged_refused(number)
                table = Table(
                    header_row=number,
                    columns=found,
                    headers=headers,
                    rows=iter(()),
                    warnings=warnings,
                    unknown=_unknown_headers(values, found),
                )
                merged = {
                    row for first, last in merges if last > number for row in range(first, last + 1)
                }
                table.rows = _xlsx_rows(iterator, found, table, merged, IdWatch(table, values))
                return table
    except FileRefused:
        raise
    except Exception as error:
        raise FileRefused(
            _("Không đọc được tệp Excel (tệp hỏng hoặc chứa nội dung không an toàn).")
        ) from error
    raise _no_header(columns)


def _xlsx_rows(
    iterator, found: dict[str, int], table: Table, merged: set[int], watch: IdWatch
) -> Iterator:
    positions = sorted(found.items(), key=lambda item: item[1])
    try:
        for number, cells in iterator:
            # In column order, as streamed; a formula (a total's SUM) is read as empty.
            if is_total_row([value for value, _formula in cells.values()]):
                table.totals.append(number)
                continue
            if number in merged:
                raise _merged_refused(number)
            if watch.left > 0:
                watch.look(lambda index, cells=cells: cells.get(index, (None, False))[0])
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
