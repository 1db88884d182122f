"""Find a ward's residential group as people write it: "Tổ 5", "TDP 05", "5", "tổ số 5"."""

import re

from areas.models import Area, Level
from core.text import search_key

_NUMBER = re.compile(r"(\d+)\s*$")


class GroupLookup:
    def __init__(self, ward: Area) -> None:
        self.ward = ward
        self.by_name: dict[str, Area] = {}
        self.by_number: dict[int, Area] = {}
        groups = Area.objects.filter(
            path__startswith=ward.path, depth=ward.depth + 1, level=Level.GROUP
        )
        for group in groups:
            self.by_name[search_key(group.name)] = group
            match = _NUMBER.search(search_key(group.name))
            if match:
                self.by_number.setdefault(int(match.group(1)), group)
        self.groups = {group.pk: group for group in groups}

    def find(self, text: str) -> Area | None:
        key = search_key(text)
        if not key:
            return None
        if key in self.by_name:
            return self.by_name[key]
        match = _NUMBER.search(key)
        if match and len(key) <= 30:
            return self.by_number.get(int(match.group(1)))
        return None
