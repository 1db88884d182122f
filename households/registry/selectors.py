"""The registry of any units, from the per-group counts under them."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Sum

from areas.models import Area
from areas.selectors import common_ancestor_path

from .models import HouseholdCount


def registry_by_unit(units: Iterable[Area]) -> dict[int, tuple[int, int]]:
    """unit id -> (households, people) on the lists of its whole subtree. One query: the
    count rows under the units' common ancestor (one per group: a city holds thousands, not
    the millions of households behind them), summed per unit in memory."""
    units = list(units)
    if not units:
        return {}
    rows = HouseholdCount.objects.filter(
        area__path__startswith=common_ancestor_path([unit.path for unit in units])
    ).values_list("area__path", "households", "members")
    by_path = {unit.path: unit.pk for unit in units}
    lengths = sorted({len(path) for path in by_path})
    result = dict.fromkeys(by_path.values(), (0, 0))
    for path, households, members in rows:
        for length in lengths:
            unit_id = by_path.get(path[:length])
            if unit_id is not None:
                counted, people = result[unit_id]
                result[unit_id] = (counted + households, people + members)
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
