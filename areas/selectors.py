"""Reads over the administrative tree. Callers pass the scope; areas knows nothing of users."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.text import search_key

from .models import Area, AreaSuccession, Level


def area_reach(*, within: Q) -> Q:
    """The caller's scope and the pre-2025 units it took over whole: a unit whose successor is
    in scope (a legacy ward merged into the user's commune) is reached through it. A unit split
    across several successors (is_partial) also covers land outside the scope: not reached."""
    if not within:
        # Everything (an administrator's Q()): an empty Q would vanish from `within | …` below
        # and leave only the legacy units.
        return within
    taken_over = AreaSuccession.objects.filter(
        successor__in=Area.objects.filter(within), is_partial=False
    )
    return within | Q(pk__in=taken_over.values("predecessor"))


def area_search(*, text: str, within: Q, limit: int = 50) -> QuerySet[Area]:
    """Units by name (accent-insensitive, every word) or by official code ("00307"), inside the
    caller's scope filter and the legacy units that scope took over (area_reach)."""
    text = text.strip()
    by_name = Q(*(Q(search_key__contains=word) for word in search_key(text).split()))
    by_code = Q(code__iexact=text) if text and " " not in text else Q(pk__in=[])
    return (
        Area.objects.filter(area_reach(within=within))
        .filter(by_name | by_code)
        .order_by("era", "depth", "path")[:limit]
    )


def area_children(*, area: Area) -> QuerySet[Area]:
    """One query: the units directly below `area`."""
    return Area.objects.filter(path__startswith=area.path, depth=area.depth + 1).order_by("path")


def area_successors(*, area: Area) -> QuerySet[Area]:
    return Area.objects.filter(predecessions__predecessor=area).order_by("path")


def area_predecessors(*, area: Area) -> QuerySet[Area]:
    return Area.objects.filter(successions__successor=area).order_by("path")


def ward_groups(*, ward: Area) -> QuerySet[Area]:
    return area_children(area=ward).filter(level=Level.GROUP)


@dataclass(frozen=True)
class Attribution:
    """Where a record counts: the unit that stood for its area on its day. `approximate` when
    that unit was reached through an old ward split among several new ones (the record may
    belong to another of them)."""

    area: Area
    approximate: bool = False


def _valid_on(area: Area, day: datetime.date) -> bool:
    return (area.valid_from is None or area.valid_from <= day) and (
        area.valid_to is None or area.valid_to >= day
    )


def _counterpart(area: Area, day: datetime.date) -> Attribution | None:
    """`area`'s own link across the reform, towards `day` (a whole one first), or None."""
    if area.valid_to is not None and day > area.valid_to:
        links = AreaSuccession.objects.filter(predecessor=area).select_related("successor")
        candidates = [(link.is_partial, link.successor.path, link.successor) for link in links]
    else:
        links = AreaSuccession.objects.filter(successor=area).select_related("predecessor")
        candidates = [(link.is_partial, link.predecessor.path, link.predecessor) for link in links]
    if not candidates:
        return None
    is_partial, _path, unit = min(candidates, key=lambda item: (item[0], item[1]))
    return Attribution(area=unit, approximate=is_partial)


def area_attribution(*, area: Area, day: datetime.date) -> Attribution:
    """The unit that stood for `area` on `day` (see area_as_of), and whether that is approximate.

    A residential group with no counterpart of its own (a pre-2025 group, which stopped on
    30 June 2025 and was never carried over) counts in the counterpart of its ward: today's
    work in it lands in today's ward, so in the current campaigns, and not only in the legacy
    tallies. Marked approximate where the old ward was split among several new ones.
    """
    if _valid_on(area, day):
        return Attribution(area=area)
    own = _counterpart(area, day)
    if own is not None:
        return own
    # Forward only (work after the group stopped): a record before a current group existed
    # keeps its old attribution, so stored tallies and the recompute never disagree.
    if area.level == Level.GROUP and area.valid_to is not None and day > area.valid_to:
        ward = Area.objects.filter(path=area.path[: -Area.steplen]).first()
        if ward is not None and not _valid_on(ward, day):
            through_ward = _counterpart(ward, day)
            if through_ward is not None:
                return through_ward
    return Attribution(area=area)


def area_as_of(*, area: Area, day) -> Area:
    """The unit that stood for `area` on `day`: itself if valid then, else its counterpart
    across the 2025 reform (a whole successor or predecessor first, a partial one otherwise;
    for a residential group without one, its ward's: area_attribution).

    Records are attributed to the tree as it stood when they happened, so a visit in March 2023
    to a household registered under today's residential group counts in the legacy ward, and
    one today to a household still registered under a pre-2025 group counts in today's ward.
    """
    return area_attribution(area=area, day=day).area


def common_ancestor_path(paths: list[str]) -> str:
    """The longest whole-step path prefix shared by every path (treebeard paths): one index
    range over the units' common ancestor, from which a grouping picks what is theirs."""
    first, last = min(paths), max(paths)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[: size - size % Area.steplen]
