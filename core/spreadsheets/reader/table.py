"""What every spreadsheet read gives and refuses: columns, rows, row errors, the header row."""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import search_key, text_nfc, text_normalise

MAX_BYTES = 50 * 1024 * 1024


MAX_UNZIPPED = 400 * 1024 * 1024


MAX_RATIO = 150  # uncompressed / compressed, per zip member: more is a zip bomb


HEADER_SEARCH_ROWS = 10


EXTENSIONS = (".xlsx", ".csv")


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
    # Filled while `rows` is read: total/subtotal rows left out ("Tổng cộng" and numbers), and
    # the headers of columns that hold citizen ID numbers (by their header or their values).
    totals: list[int] = field(default_factory=list)
    id_columns: list[str] = field(default_factory=list)


def _unknown_headers(cells: list, found: dict[str, int]) -> list[str]:
    taken = set(found.values())
    return [
        text_normalise(str(cell))
        for index, cell in enumerate(cells)
        if index not in taken and str(cell if cell is not None else "").strip()
    ]


_ID_HEADER = re.compile(
    r"\b(cccd|cmnd|cmt|can cuoc|chung minh|dinh danh|so dinh danh|id cong dan)\b"
)
_ID_VALUE = re.compile(r"^\s*\d{3}[ .\-]?\d{3}[ .\-]?\d{3}[ .\-]?\d{3}\s*$|^\s*\d{9}\s*$")
ID_SAMPLE_ROWS = 50  # rows of each unknown column looked at for ID numbers


def id_header(header: str) -> bool:
    """A header that announces citizen ID numbers: "Số CCCD", "CMND", "Số định danh"…"""
    return bool(_ID_HEADER.search(_header_key(header)))


def id_value(value: object) -> bool:
    """A cell that looks like a citizen ID: 12 digits (CCCD), or 9 (old CMND), as text or number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return 100_000_000 <= value < 10**12 and len(str(value)) in (9, 10, 11, 12)
    return isinstance(value, str) and bool(_ID_VALUE.match(value))


class IdWatch:
    """The unknown columns of a table that hold citizen IDs: by header at once, by value in the
    first rows (a few cells per row, for ID_SAMPLE_ROWS rows only: the cost stays flat)."""

    def __init__(self, table: "Table", header_cells: list) -> None:
        self.table = table
        taken = set(table.columns.values())
        self.watched: dict[int, str] = {}
        for index, cell in enumerate(header_cells):
            text = text_normalise(str(cell if cell is not None else ""))
            if index in taken or not text:
                continue
            if id_header(text):
                table.id_columns.append(text)
            else:
                self.watched[index] = text
        self.left = ID_SAMPLE_ROWS

    def look(self, cell_of: Callable[[int], object]) -> None:
        """`cell_of(index)` gives a cell's value; called for the first rows only."""
        if self.left <= 0 or not self.watched:
            return
        self.left -= 1
        for index, header in list(self.watched.items()):
            if id_value(cell_of(index)):
                self.table.id_columns.append(header)
                del self.watched[index]


TOTAL_WORDS = ("tong cong", "tong so", "tong", "cong")
_NUMERIC = re.compile(r"[\s\d.,+\-()%]*$")
# "Tổng…"/"Cộng…" however accented or composed: a cheap first look before the fold.
_TOTAL_START = re.compile(
    r"\s*[TtCc][OoÔôƠơ\u0300-\u036f\u00f2-\u00f5\u1ecd-\u1ee3]+ng\b", re.IGNORECASE
)


def is_total_row(cells: Iterable[object]) -> bool:
    """ "Tổng cộng" (or "Tổng", "Cộng", "Tổng số", "Cộng tổ 1") in the first text cell, and
    nothing but numbers (or formulas, read as empty) in the other cells: a total, not a row."""
    label = ""
    for cell in cells:
        if cell is None or cell.__class__ is not str:
            continue  # empty, a formula, a number, a date
        if _NUMERIC.match(cell):
            continue
        if label or not _TOTAL_START.match(cell):
            return False  # a second text cell, or words that are not a total's: a row
        label = search_key(cell).strip(" :.")
        if not any(label == word or label.startswith(word + " ") for word in TOTAL_WORDS):
            return False
    return bool(label)


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


def text_of(value: object) -> str:
    """A cell as text: NFC, trimmed, inner spaces collapsed ("" for empty); whole numbers
    without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text if text.isascii() else text_nfc(text)  # == text_normalise, one call less


FORMULA_MESSAGE = gettext_lazy(
    "Ô có công thức. Hãy chép rồi dán “chỉ giá trị” (Paste Special → Values)."
)
