"""A unit named in a row of a file for many units: by official code or by name, inside the
import's area and the user's authority (volunteers.authority), of the era standing that day."""

import datetime
from collections.abc import Callable

from django.utils.translation import gettext as _

from areas.models import Area
from core.text import search_key
from volunteers.scoping import Scope

# Words a list writes before a unit's name, dropped to match "Định Công" with
# "Phường Định Công".
_UNIT_WORDS = (
    "phuong",
    "xa",
    "thi tran",
    "quan",
    "huyen",
    "thi xa",
    "thanh pho",
    "to dan pho",
    "thon",
    "to",
)


def _bare(key: str) -> str:
    for word in sorted(_UNIT_WORDS, key=len, reverse=True):
        if key.startswith(word + " "):
            return key[len(word) + 1 :]
    return key


def stands_on(area: Area, day: datetime.date) -> bool:
    return (area.valid_from is None or area.valid_from <= day) and (
        area.valid_to is None or area.valid_to >= day
    )


class UnitLookup:
    """Every unit at or below `root` inside `scope`, loaded once (one query), by code and name."""

    def __init__(self, *, root: Area, scope: Scope, column: str = "unit") -> None:
        self.root = root
        self.column = column
        self.units: dict[int, Area] = {}
        self.by_code: dict[str, list[Area]] = {}
        self.by_name: dict[str, list[Area]] = {}
        for area in Area.objects.filter(path__startswith=root.path).filter(scope.q(field="")):
            self.units[area.pk] = area
            self.by_code.setdefault(area.code.strip().lower(), []).append(area)
            for name in {area.search_key, _bare(area.search_key)}:
                self.by_name.setdefault(name, []).append(area)

    def find(
        self, text: str, day: datetime.date | None, error: Callable[[str, str], None]
    ) -> Area | None:
        """The unit `text` names (the one standing on `day` when several eras share it), or
        None after reporting why on the unit column."""
        if not text:
            error(self.column, _("Thiếu đơn vị (mã hoặc tên)."))
            return None
        found = self.by_code.get(text.strip().lower())
        if not found:
            key = search_key(text)
            found = self.by_name.get(key) or self.by_name.get(_bare(key)) or []
        if not found:
            error(
                self.column,
                _(
                    "Không có đơn vị mã hoặc tên “%(unit)s” trong %(area)s thuộc địa bàn bạn "
                    "phụ trách."
                )
                % {"unit": text, "area": self.root.name},
            )
            return None
        if day is not None and len(found) > 1:
            found = [area for area in found if stands_on(area, day)] or found
        if len(found) > 1:
            error(
                self.column,
                _("Có nhiều đơn vị tên “%(unit)s”: hãy ghi mã đơn vị.") % {"unit": text},
            )
            return None
        return found[0]
