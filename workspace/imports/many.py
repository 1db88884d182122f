"""One file for many wards: a ward-bound list (groups, volunteers, households, visits)
imported at a district or a city, each row naming its ward in a "Phường/xã" column (official
code or name, inside the user's authority: volunteers.authority).

Each ward's rows go to an importer of that ward, made and prepared on the ward's first row,
so every rule of the one-ward import holds per ward (its groups, its volunteers, its
duplicates). Keys are (ward, key): the same address in two wards is two households.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable

from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from core.spreadsheets.reader import Column
from volunteers.access import COORDINATION
from volunteers.authority import authority_scope
from volunteers.models import User

from .base import Importer
from .units import UnitLookup

WARD_COLUMN = Column(
    "ward",
    _("Phường/xã"),
    ("phường", "xã", "mã phường", "mã xã", "tên phường", "tên xã", "phường/xã/thị trấn"),
    True,
    "00307",
)


def many_ward_importer(inner: type[Importer]) -> type[Importer]:
    """The many-ward importer of a one-ward kind."""

    class ManyWards(ManyWardImporter):
        kind = inner.kind
        columns = [WARD_COLUMN, *inner.columns]
        packs = inner.packs
        existing_message = inner.existing_message
        inner_class = inner

    return ManyWards


class ManyWardImporter(Importer):
    inner_class: type[Importer]

    def __init__(self, *, ward: Area, user: User | None, options: dict | None = None) -> None:
        super().__init__(ward=ward, user=user, options=options)
        self.inners: dict[int, Importer] = {}

    def prepare(self) -> None:
        scope = authority_scope(user=self.user, roles=COORDINATION)
        self.lookup = UnitLookup(root=self.ward, scope=scope, column="ward")
        wards = {pk: area for pk, area in self.lookup.units.items() if area.level == Level.WARD}
        self.wards = wards
        for table in (self.lookup.by_code, self.lookup.by_name):
            for name, areas in list(table.items()):
                table[name] = [area for area in areas if area.pk in wards]
                if not table[name]:
                    del table[name]

    def inner(self, ward_id: int) -> Importer:
        importer = self.inners.get(ward_id)
        if importer is None:
            if not hasattr(self, "wards"):  # the worker's run reads packed rows unprepared
                self.prepare()
            importer = self.inner_class(
                ward=self.wards[ward_id], user=self.user, options=self.options
            )
            importer.prepare()
            self.inners[ward_id] = importer
        return importer

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        ward = self.lookup.find(values.get("ward", ""), None, error)
        if ward is None:
            return None
        record = self.inner(ward.pk).clean(number, values, error)
        return None if record is None else (ward.pk, record)

    def key(self, record) -> Hashable:
        ward_id, inner = record
        return (ward_id, self.inner(ward_id).key(inner))

    def _by_ward(self, records: list) -> dict[int, list]:
        grouped: dict[int, list] = defaultdict(list)
        for ward_id, inner in records:
            grouped[ward_id].append(inner)
        return grouped

    def existing_keys(self, records: list) -> set:
        found = set()
        for ward_id, inners in self._by_ward(records).items():
            found |= {(ward_id, key) for key in self.inner(ward_id).existing_keys(inners)}
        return found

    def updates(self, record) -> int:
        ward_id, inner = record
        return self.inner(ward_id).updates(inner)

    def _summed(self, parts: list[dict]) -> dict:
        total: dict = {}
        for part in parts:
            for name, value in part.items():
                total[name] = total.get(name, 0) + value
        return total

    def update(self, records: list) -> dict:
        return self._summed(
            [self.inner(w).update(inners) for w, inners in self._by_ward(records).items()]
        )

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        parts, done = [], 0
        for ward_id, inners in self._by_ward(records).items():
            offset = done
            parts.append(
                self.inner(ward_id).write(inners, lambda n, offset=offset: progress(offset + n))
            )
            done += len(inners)
        return self._summed(parts)

    def warnings(self) -> list[str]:
        notes: list[str] = []
        for importer in self.inners.values():
            notes += [note for note in importer.warnings() if note not in notes]
        return notes

    def dump(self, record) -> list:
        ward_id, inner = record
        return [ward_id, self.inner(ward_id).dump(inner)]

    def load(self, row: list):
        ward_id, inner = row
        return (ward_id, self.inner(ward_id).load(inner))
