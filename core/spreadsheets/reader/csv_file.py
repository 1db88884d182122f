"""csv files: UTF-8 (with or without a BOM) or UTF-16 with a BOM, any common delimiter."""

import codecs
import csv
import io
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .table import (
    HEADER_SEARCH_ROWS,
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

# Text read as cp1252/latin-1 and saved again as UTF-8 ("Há»\x8d tÃªn"): refuse, never store.
_MOJIBAKE = re.compile(r"[ÃÂÄÅÆ][\u0080-\u00bf]|á»|áº|Ä‘|Æ°")


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
            table = Table(
                header_row=number,
                columns=found,
                headers=headers,
                rows=iter(()),
                unknown=_unknown_headers(cells, found),
            )
            watch = IdWatch(table, cells)

            def rows(
                reader=reader, start=number, found=found, table=table, watch=watch
            ) -> Iterator:
                for row_number, cells in enumerate(reader, start=start + 1):
                    if is_total_row(cells):
                        table.totals.append(row_number)
                        continue
                    if watch.left > 0:
                        watch.look(lambda i, cells=cells: cells[i] if i < len(cells) else None)
                    values = {
                        key: (cells[index] if index < len(cells) else None)
                        for key, index in found.items()
                    }
                    yield row_number, values, []

            table.rows = rows()
            return table
        if number >= HEADER_SEARCH_ROWS:
            break
    raise _no_header(columns)
