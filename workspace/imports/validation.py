"""The preview's one pass over a file: every row cleaned, duplicates found, each bad row named."""

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.spreadsheets.reader import FORMULA_MESSAGE, FileRefused, RowError, Table, text_of
from core.text import mask_id_numbers, search_key

from .base import Importer, PackedRecords

# Clean rows are checked against the database this many at a time: memory stays flat in the
# size of the file.
BATCH = 5000


@dataclass
class Validation:
    total: int = 0
    valid: int = 0  # rows without errors (each key once)
    # (number, record) of the valid rows, for importers that do not pack them
    records: list = field(default_factory=list)
    packed: PackedRecords | None = None
    errors: list[RowError] = field(default_factory=list)
    existing_rows: list[int] = field(default_factory=list)
    existing: int = 0
    # Existing rows that will give their stored household what it lacks (a contact, consented)
    updates: int = 0
    blank_rows: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The importer's own figures (Importer.summary), kept in the job's result.
    extra: dict = field(default_factory=dict)


def _blank(values: dict) -> bool:
    return all(text_of(value) == "" for value in values.values())


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def validate(
    *,
    importer: Importer,
    table: Table,
    progress: Callable[[int], None] | None = None,
    pack: bool = False,
) -> Validation:
    """Read every row once: clean it, find duplicates in the file, and (by batches) rows
    already in the database. Valid rows are packed (`pack` and the importer can) or kept."""
    importer.prepare()
    result = Validation(warnings=list(table.warnings))
    if pack and importer.packs:
        result.packed = PackedRecords()
    labels = {column.key: str(column.label) for column in importer.columns}
    seen: dict[Hashable, int] = {}
    pending: list[tuple[int, object, Hashable]] = []

    def check_pending() -> None:
        batch = [record for _number, record, _key in pending]
        problems = importer.batch_problems(batch)
        existing = importer.existing_keys(batch)
        for number, record, key in pending:
            if key in problems:
                result.valid -= 1
                column_of = table.headers.get
                result.errors.extend(
                    RowError(number, column_of(name, labels.get(name, name)), message)
                    for name, message in problems[key]
                )
                continue
            if key in existing:
                result.existing_rows.append(number)
                result.updates += importer.updates(record)
            if result.packed is not None:
                result.packed.add(importer.dump(record))
            else:
                result.records.append((number, record))
        pending.clear()

    last = table.header_row
    for number, raw, formulas in table.rows:
        if number > last + 1:  # rows with no cell at all are not read: blank, or a total
            totals = set(table.totals)
            result.blank_rows += [row for row in range(last + 1, number) if row not in totals]
        last = number
        if not formulas and _blank(raw):
            result.blank_rows.append(number)
            continue
        result.total += 1
        row_errors: list[RowError] = []

        def error(key: str, message: str, number: int = number, errors=row_errors) -> None:
            column = table.headers.get(key, labels.get(key, key))
            # A citizen ID typed in a phone cell must not come back in the message, nor be kept.
            errors.append(RowError(number, column, mask_id_numbers(message)))

        for key in formulas:
            error(key, str(FORMULA_MESSAGE))
        values = {key: text_of(value) for key, value in raw.items()}
        record = importer.clean(number, values, error)
        if record is not None and not row_errors:
            key = importer.key(record)
            if key in seen:
                row_errors.append(
                    RowError(
                        number, "", _("Trùng với dòng %(row)d trong tệp.") % {"row": seen[key]}
                    )
                )
            else:
                seen[key] = number
                result.valid += 1
                pending.append((number, record, key))
                if len(pending) >= BATCH:
                    check_pending()
        result.errors.extend(row_errors)
        if progress and result.total % 500 == 0:
            progress(result.total)
    if pending:
        check_pending()
    result.existing = len(result.existing_rows)
    result.errors.sort(key=lambda error: error.row)
    result.extra = importer.summary()
    result.warnings += importer.warnings()
    result.warnings += skipped_warnings(table, result.blank_rows)
    if result.total == 0:
        raise FileRefused(_("Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào."))
    return result


# Columns nobody needs to be told about: the list's own numbering.
_NUMBERING = {"stt", "tt", "so tt", "so thu tu"}
SHOWN_ROWS = 20


def _row_list(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:SHOWN_ROWS])
    return shown + (" …" if len(rows) > SHOWN_ROWS else "")


def skipped_warnings(table: Table, blank_rows: list[int]) -> list[str]:
    """What the preview says it left out: total rows, blank rows, columns not stored."""
    notes = []
    if table.totals:
        notes.append(
            ngettext(
                # Vietnamese has one form for every count (nplurals=1): the first one is used.
                "Bỏ qua %(count)d dòng tổng cộng/cộng nhóm: dòng %(rows)s.",
                "Bỏ qua %(count)d dòng tổng cộng/cộng nhóm: dòng %(rows)s.",
                len(table.totals),
            )
            % {"count": len(table.totals), "rows": _row_list(table.totals)}
        )
    if blank_rows:
        notes.append(
            ngettext(
                "Bỏ qua %(count)d dòng trống: dòng %(rows)s.",
                "Bỏ qua %(count)d dòng trống: dòng %(rows)s.",
                len(blank_rows),
            )
            % {"count": len(blank_rows), "rows": _row_list(blank_rows)}
        )
    ids = set(table.id_columns)
    for header in table.unknown:
        if search_key(header) in _NUMBERING:
            continue
        if header in ids:
            notes.append(
                _(
                    "Cột “%(name)s” có số định danh cá nhân (CCCD/CMND): không được lưu ở bất "
                    "kỳ đâu."
                )
                % {"name": header}
            )
        else:
            notes.append(_("Cột “%(name)s” không được lưu.") % {"name": header})
    return notes
