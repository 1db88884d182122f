"""What every spreadsheet read gives and refuses: columns, rows, row errors, the header row."""

import re
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
    """A cell as trimmed text ("" for empty); whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


FORMULA_MESSAGE = gettext_lazy(
    "Ô có công thức. Hãy chép rồi dán “chỉ giá trị” (Paste Special → Values)."
)
