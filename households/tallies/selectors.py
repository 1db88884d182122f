"""Reads of tallies: the grid's month, the visits already recorded where a tally is entered,
and the tally share of a total (how much of it came from tallies)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet, Sum

from areas.models import Area
from core.activity import PARTICIPATIONS, Indicator

from ..models import Visit, VisitStatus
from .models import COUNT_FIELDS, Tally

# A tally's fields as the indicators (and participations) of the summary tables.
INDICATOR_OF_FIELD = {
    "households_visited": Indicator.HOUSEHOLDS_VISITED.value,
    "install_guidance": Indicator.INSTALL_GUIDANCE.value,
    "level1_activations": Indicator.LEVEL1_ACTIVATIONS.value,
    "level2_activations": Indicator.LEVEL2_ACTIVATIONS.value,
    "dossiers_eid": Indicator.DOSSIERS_EID.value,
    "dossiers_online": Indicator.DOSSIERS_ONLINE.value,
    "other_help": Indicator.OTHER_HELP.value,
    "volunteer_days": PARTICIPATIONS,
}
DOSSIER_FIELDS = ("dossiers_eid", "dossiers_online", "dossiers_other")


def indicator_counts(counts: dict[str, int]) -> dict[str, int]:
    """A tally's counts (COUNT_FIELDS) as the summary tables' keys; the dossiers' total is the
    sum of their kinds, as for a visit."""
    result = {key: counts.get(name, 0) for name, key in INDICATOR_OF_FIELD.items()}
    result[Indicator.DOSSIERS_TOTAL.value] = sum(counts.get(name, 0) for name in DOSSIER_FIELDS)
    return result


def collapse_paths(paths: Iterable[str]) -> list[str]:
    """The paths with every one lying under another dropped (one subtree filter each)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def _under(paths: Iterable[str], field: str = "area__path") -> Q:
    condition = Q(pk__in=[])
    for path in collapse_paths(paths):
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def visit_counts_by_unit_day(
    *, keys: Iterable[tuple[Area, datetime.date]]
) -> dict[tuple[int, datetime.date], int]:
    """For each (unit, day): the visits (not rejected) recorded that day in the unit's subtree.
    One query, grouped by leaf unit and day, whatever the number of keys."""
    keys = list(keys)
    if not keys:
        return {}
    days = {day for _area, day in keys}
    rows = (
        Visit.objects.exclude(status=VisitStatus.REJECTED)
        .filter(_under(area.path for area, _day in keys), day__in=days)
        .values_list("area__path", "day")
        .annotate(count=Count("pk"))
    )
    by_day: dict[datetime.date, list[tuple[str, int]]] = defaultdict(list)
    for path, day, count in rows:
        by_day[day].append((path, count))
    return {
        (area.pk, day): sum(n for path, n in by_day.get(day, ()) if path.startswith(area.path))
        for area, day in keys
    }


def visit_counts_by_day(
    *, area: Area, start: datetime.date, end: datetime.date
) -> dict[datetime.date, int]:
    """The visits (not rejected) recorded in `area`'s subtree on each day of [start, end]."""
    rows = (
        Visit.objects.exclude(status=VisitStatus.REJECTED)
        .filter(area__path__startswith=area.path, day__range=(start, end))
        .values_list("day")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def tallies_by_day(
    *, area: Area, start: datetime.date, end: datetime.date
) -> dict[datetime.date, Tally]:
    """The unit's own tallies on each day of [start, end] (the grid's rows)."""
    return {
        tally.day: tally
        for tally in Tally.objects.filter(area=area, day__range=(start, end)).order_by("day")
    }


def tallies_overlapping(
    *, keys: Iterable[tuple[Area, datetime.date]]
) -> list[tuple[int, str, datetime.date]]:
    """Stored tallies (area id, path, day) on those days at a unit above or below one of the
    keys' units: counted together, the two would count the same work twice."""
    keys = list(keys)
    if not keys:
        return []
    days = {day for _area, day in keys}
    above = {path for area, _day in keys for path in area.ancestor_paths()}
    return list(
        Tally.objects.filter(
            _under(area.path for area, _day in keys) | Q(area__path__in=above), day__in=days
        ).values_list("area_id", "area__path", "day")
    )


def tally_share_under(
    *, areas: list[Area], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """For each of `areas`: what the tallies in its subtree over [start, end] add to each
    indicator (the summary tables' keys, participations included). One query, grouped by the
    tallies' units."""
    if not areas:
        return {}
    read = tally_share_read(paths=[area.path for area in areas], start=start, end=end)
    return tally_share_from(areas, read)


def tally_share_read(*, paths: Iterable[str], start: datetime.date, end: datetime.date) -> QuerySet:
    """(unit path, one sum per count) of the tallies under `paths` over [start, end], per
    tallied unit: `tally_share_under`'s read, for a page that reads several things at once."""
    return (
        Tally.objects.filter(_under(paths), day__range=(start, end))
        .order_by()
        .values("area__path")
        .annotate(**{name: Sum(name) for name in COUNT_FIELDS})
        .values_list("area__path", *COUNT_FIELDS)
    )


def tally_share_from(areas: list[Area], rows: Iterable[tuple]) -> dict[int, dict[str, int]]:
    """`tally_share_under`'s answer from `tally_share_read`'s rows."""
    share: dict[int, dict[str, int]] = {area.pk: {} for area in areas}
    for path, *sums in rows:
        counts = indicator_counts(
            {name: value or 0 for name, value in zip(COUNT_FIELDS, sums, strict=True)}
        )
        for area in areas:
            if path.startswith(area.path):
                into = share[area.pk]
                for key, value in counts.items():
                    into[key] = into.get(key, 0) + value
    return {pk: {k: v for k, v in counts.items() if v} for pk, counts in share.items()}
