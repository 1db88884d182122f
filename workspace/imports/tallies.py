"""Paper tallies from one file for many units: a unit (official code or name) and a day per
row, the campaign indicators as counts.

The unit may be any unit at or below the import's area that the user coordinates: a city
official back-enters a whole past campaign from one file. Rows go through
households.tallies.services.tallies_save, the one door of tallies: a unit-day already stored is
replaced, never added to, so importing the same file again counts nothing twice. Rows whose
unit and day already hold visits are listed in the preview, and the import runs only once the
user confirms that the tallies are other work than those visits.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas.locks import LockIndex
from core.spreadsheets.reader import FileRefused
from core.text import text_normalise
from households.tallies.models import COUNT_FIELDS, Tally, TallySource
from households.tallies.selectors import visit_counts_by_unit_day
from households.tallies.services import (
    TallyEntry,
    TallyRefused,
    tallies_save,
    tally_conflicts,
    tally_entry_problems,
    tally_scope,
)

from ..resources import TallySheet
from .base import Importer
from .units import UnitLookup
from .visits import parse_day

MAX_LISTED = 200


@dataclass(frozen=True, slots=True)
class TallyRow:
    number: int
    area_id: int
    day: datetime.date
    counts: tuple[int, ...]
    volunteer_names: str

    @property
    def key(self) -> tuple[int, datetime.date]:
        return (self.area_id, self.day)


class TallyImporter(Importer):
    kind = "tallies"
    columns = TallySheet.import_columns()

    def prepare(self) -> None:
        self.scope = tally_scope(user=self.user)
        self.lookup = UnitLookup(root=self.ward, scope=self.scope)
        self.units = self.lookup.units
        self.visit_rows: list[dict] = []
        self.visit_row_count = 0
        self.stored: dict[tuple, Tally] = {}
        self.locks = LockIndex(area=None)  # frozen periods, read once for the whole file

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        day = parse_day(values.get("day", ""))
        if day is None:
            error(
                "day",
                _("Ngày “%(day)s” không đọc được (ví dụ đúng: 05/03/2023).")
                % {"day": values.get("day", "")},
            )
        unit = self.lookup.find(values.get("unit", ""), day, error)
        counts: dict[str, int] = {}
        for name in (*COUNT_FIELDS, "dossiers_total"):
            text = (values.get(name, "") or "").replace(" ", "").replace(".", "").replace(",", "")
            if not text:
                continue
            try:
                counts[name] = int(text)
            except ValueError:
                error(name, _("Phải là số nguyên (không âm)."))
        total = counts.pop("dossiers_total", None)
        if total is not None:
            kinds = counts.get("dossiers_eid", 0) + counts.get("dossiers_online", 0)
            if "dossiers_other" not in counts:
                if total < kinds:
                    error(
                        "dossiers_total",
                        _("Tổng hồ sơ nhỏ hơn số hồ sơ định danh và trực tuyến cộng lại."),
                    )
                counts["dossiers_other"] = max(total - kinds, 0)
            elif total != kinds + counts["dossiers_other"]:
                error(
                    "dossiers_total",
                    _("Tổng hồ sơ khác tổng các loại hồ sơ (định danh + trực tuyến + khác)."),
                )
        if unit is None or day is None:
            return None
        entry = TallyEntry(area=unit, day=day, counts=counts, row=number)
        problems = tally_entry_problems(entry=entry, scope=self.scope, locks=self.locks)
        for problem in problems:
            error(problem.field, problem.message)
        if problems:
            return None
        return TallyRow(
            number=number,
            area_id=unit.pk,
            day=day,
            counts=tuple(counts.get(name, 0) for name in COUNT_FIELDS),
            volunteer_names=text_normalise(values.get("volunteer_names", "")),
        )

    def key(self, record: TallyRow) -> tuple:
        return record.key

    def _entries(self, records: list[TallyRow], confirmed: bool) -> list[TallyEntry]:
        return [
            TallyEntry(
                area=self.units[record.area_id],
                day=record.day,
                counts=dict(zip(COUNT_FIELDS, record.counts, strict=True)),
                volunteer_names=record.volunteer_names,
                visits_confirmed=confirmed,
                row=record.number,
            )
            for record in records
        ]

    def batch_problems(self, records: list) -> dict:
        """Tallies of a unit above or below on the same day (counted twice); visits already
        recorded there are not problems but listed, for the user to confirm."""
        entries = self._entries(records, confirmed=True)
        visits = visit_counts_by_unit_day(keys=[(entry.area, entry.day) for entry in entries])
        for record, entry in zip(records, entries, strict=True):
            count = visits.get(entry.key, 0)
            if count:
                self.visit_row_count += 1
                if len(self.visit_rows) < MAX_LISTED:
                    self.visit_rows.append(
                        {
                            "row": record.number,
                            "unit": entry.area.name,
                            "day": date_format(entry.day, "SHORT_DATE_FORMAT"),
                            "visits": count,
                        }
                    )
        problems: dict = {}
        by_row = {record.number: record.key for record in records}
        for problem in tally_conflicts(entries=entries, visit_counts=visits):
            problems.setdefault(by_row[problem.row], []).append((problem.field, problem.message))
        return problems

    def existing_keys(self, records: list) -> set:
        areas = {record.area_id for record in records}
        days = {record.day for record in records}
        for tally in Tally.objects.filter(area_id__in=areas, day__in=days):
            self.stored[(tally.area_id, tally.day)] = tally
        keys = {record.key for record in records}
        return {key for key in self.stored if key in keys}

    def updates(self, record: TallyRow) -> int:
        tally = self.stored.get(record.key)
        if tally is None:
            return 0
        same = tuple(tally.counts()[name] for name in COUNT_FIELDS) == record.counts
        return int(not (same and tally.volunteer_names == record.volunteer_names))

    def summary(self) -> dict:
        return {"visit_rows": self.visit_rows, "visit_row_count": self.visit_row_count}

    def _save(self, records: list) -> dict:
        if not records:
            return {}
        confirmed = bool(self.options.get("visits_confirmed"))
        try:
            saved = tallies_save(
                user=self.user,
                entries=self._entries(records, confirmed),
                source=TallySource.IMPORT,
            )
        except TallyRefused as refused:
            problem = refused.problems[0]
            raise FileRefused(
                _("Dòng %(row)d: %(message)s Không có dòng nào được ghi.")
                % {"row": problem.row or 0, "message": problem.message}
            ) from refused
        counts = saved.as_counts()
        counts.pop("deleted")
        return counts

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        counts = self._save(records)
        progress(len(records))
        return counts

    def update(self, records: list) -> dict:
        """A unit-day already stored: the file's counts replace it (or leave it, when equal)."""
        return self._save(records)
