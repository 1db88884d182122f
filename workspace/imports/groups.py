"""Importing a ward's residential groups (tổ dân phố) and villages (thôn) from a list."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from areas.models import Area, Kind
from areas.services import residential_group_create
from core.text import search_key

from ..resources import GroupSheet
from .base import Importer

_VILLAGE_WORDS = ("thon", "xom", "ban", "ap", "lang")


@dataclass(frozen=True, slots=True)
class GroupRow:
    name: str
    kind: str


class ResidentialGroupImporter(Importer):
    kind = "groups"
    columns = GroupSheet.import_columns()

    def clean(self, number: int, values: dict[str, str], error: Callable[[str, str], None]):
        name = " ".join(values.get("name", "").split())
        if not name:
            error("name", _("Thiếu tên tổ dân phố/thôn."))
            return None
        if len(name) > 200:
            error("name", _("Tên dài quá 200 ký tự."))
            return None
        kind_words = search_key(values.get("kind", "") or name).split()
        is_village = bool(kind_words) and kind_words[0] in _VILLAGE_WORDS
        return GroupRow(name, Kind.VILLAGE if is_village else Kind.RESIDENTIAL_GROUP)

    def key(self, record: GroupRow) -> str:
        return search_key(record.name)

    def existing_keys(self, records: list) -> set:
        return set(
            Area.objects.filter(
                path__startswith=self.ward.path, depth=self.ward.depth + 1
            ).values_list("search_key", flat=True)
        )

    def dump(self, record: GroupRow) -> list:
        return [record.name, record.kind]

    def load(self, row: list) -> GroupRow:
        return GroupRow(*row)

    def write(self, records: list, progress: Callable[[int], None]) -> dict:
        for index, record in enumerate(records, start=1):
            residential_group_create(ward=self.ward, name=record.name, kind=record.kind)
            progress(index)
        return {"created": len(records)}
