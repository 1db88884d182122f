"""Reads over the administrative tree. Callers pass the scope; areas knows nothing of users."""

from django.db.models import Q, QuerySet

from .models import Area, AreaSuccession, Level


def area_search(*, text: str, within: Q, limit: int = 50) -> QuerySet[Area]:
    """Accent-insensitive search inside the caller's scope filter."""
    return Area.objects.filter(within).matching(text).order_by("era", "depth", "path")[:limit]


def area_children(*, area: Area) -> QuerySet[Area]:
    """One query: the units directly below `area`."""
    return Area.objects.filter(path__startswith=area.path, depth=area.depth + 1).order_by("path")


def area_successors(*, area: Area) -> QuerySet[Area]:
    return Area.objects.filter(predecessions__predecessor=area).order_by("path")


def area_predecessors(*, area: Area) -> QuerySet[Area]:
    return Area.objects.filter(successions__successor=area).order_by("path")


def ward_groups(*, ward: Area) -> QuerySet[Area]:
    return area_children(area=ward).filter(level=Level.GROUP)


def area_as_of(*, area: Area, day) -> Area:
    """The unit that stood for `area` on `day`: itself if valid then, else its counterpart
    across the 2025 reform (a whole successor or predecessor first, a partial one otherwise).

    Records are attributed to the tree as it stood when they happened, so a visit in March 2023
    to a household registered under today's residential group counts in the legacy ward.
    """
    if (area.valid_from is None or area.valid_from <= day) and (
        area.valid_to is None or area.valid_to >= day
    ):
        return area
    if area.valid_to is not None and day > area.valid_to:
        links = AreaSuccession.objects.filter(predecessor=area).select_related("successor")
        candidates = [(link.is_partial, link.successor.path, link.successor) for link in links]
    else:
        links = AreaSuccession.objects.filter(successor=area).select_related("predecessor")
        candidates = [(link.is_partial, link.predecessor.path, link.predecessor) for link in links]
    if not candidates:
        return area
    return min(candidates, key=lambda item: (item[0], item[1]))[2]
