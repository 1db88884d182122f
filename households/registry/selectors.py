"""The registry of any units, from the per-group counts under them."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from areas.models import Area
from areas.selectors import common_ancestor_path

from .models import HouseholdCount


def registry_by_unit(units: Iterable[Area]) -> dict[int, tuple[int, int]]:
    """unit id -> (households, people) on the lists of its whole subtree. One query (see
    `registry_read`)."""
    units = list(units)
    if not units:
        return {}
    read = registry_read(
        root_path=common_ancestor_path([unit.path for unit in units]),
        length=max(len(unit.path) for unit in units),
    )
    return registry_from(units, read)


def registry_read(*, root_path: str, length: int) -> QuerySet:
    """(path prefix, households, people): the count rows under `root_path` (one per group: a
    city holds thousands, not the millions of households behind them), summed in the database
    per prefix of `length` characters — one row per unit at that depth (a city's communes).
    A page that reads several things in one statement takes it as it is."""
    return (
        HouseholdCount.objects.filter(area__path__startswith=root_path)
        .annotate(prefix=Substr("area__path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(households_sum=Sum("households"), members_sum=Sum("members"))
        .values_list("prefix", "households_sum", "members_sum")
    )


def registry_from(
    units: Iterable[Area], rows: Iterable[tuple[str, int | None, int | None]]
) -> dict[int, tuple[int, int]]:
    """unit id -> (households, people) from `registry_read`'s rows, for units no deeper than
    its prefixes (a prefix counts for every unit whose path it starts with)."""
    by_path = {unit.path: unit.pk for unit in units}
    lengths = sorted({len(path) for path in by_path})
    result = dict.fromkeys(by_path.values(), (0, 0))
    for prefix, households, members in rows:
        for length in lengths:
            unit_id = by_path.get(prefix[:length])
            if unit_id is not None:
                counted, people = result[unit_id]
                result[unit_id] = (counted + (households or 0), people + (members or 0))
    return result


def registry_version_sql(area: Area) -> tuple[str, list]:
    """A one-row subquery (`last`: the last recount, `total`: the households) of the registry
    under `area`, for a cached page's version query to join: no query of its own, and written
    out, as that query runs on every view of a cached page."""
    q = connection.ops.quote_name
    counts, areas = q(HouseholdCount._meta.db_table), q(Area._meta.db_table)
    sql = (
        f"SELECT MAX(c.{q('updated_at')}) AS last, SUM(c.{q('households')}) AS total "  # noqa: S608
        f"FROM {counts} c JOIN {areas} a ON a.{q('id')} = c.{q('area_id')} "
        f"WHERE a.{q('path')} LIKE %s"
    )
    return sql, [area.path + "%"]


def registry_drift() -> list[tuple[int, tuple[int, int], tuple[int, int]]]:
    """Every area whose stored counts differ from its households: (area id, stored, live).
    Empty while every door keeps them; `registry_rebuild` heals what a missed door left."""
    from ..models import Household  # households.models imports this package's models

    live = {
        row["area_id"]: (row["n"], row["people"] or 0)
        for row in Household.objects.order_by()
        .values("area_id")
        .annotate(n=Count("pk"), people=Sum("members"))
    }
    stored = {
        area_id: (households, members)
        for area_id, households, members in HouseholdCount.objects.values_list(
            "area_id", "households", "members"
        )
        if households or members
    }
    return [
        (area_id, stored.get(area_id, (0, 0)), live.get(area_id, (0, 0)))
        for area_id in sorted(live.keys() | stored.keys())
        if stored.get(area_id, (0, 0)) != live.get(area_id, (0, 0))
    ]
