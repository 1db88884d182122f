"""Coverage against the registry: for each unit, the households on its lists, those reached in
the campaign's period, and the share; the members on its lists against the level-2 activations
counted. What tells a coordinator where to go next.

The registry is the household lists as they stand (each household in its residential group);
reached is a counted visit in the period that met someone (`Visit.reaches`: not "nobody at
home", not rejected or withdrawn), attributed as the visits are (to the unit of their day), each
household once per unit. A saved campaign keeps that count per area in its own summary rows
(CampaignAreaTally.households_reached), so it costs one row per unit whatever the number of
visits; a campaign used as a mere period counts it from the visits. Each function issues a fixed
number of queries. The registry comes from its per-group counts (households.registry).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from areas.models import Area
from areas.selectors import common_ancestor_path
from core.activity import Indicator
from households.models import Visit
from households.registry.selectors import registry_by_unit

from ..models import Campaign, CampaignAreaTally
from .figures import has_own_rows, totals_by_area
from .rows import group_digits, percent


@dataclass
class Coverage:
    households: int = 0  # on the registry
    reached: int = 0  # reached in the period
    members: int = 0  # people on the registry
    level2: int = 0  # level-2 activations counted in the period

    @property
    def share(self) -> float | None:
        return percent(self.reached, self.households)

    @property
    def not_reached(self) -> int:
        return max(self.households - self.reached, 0)

    @property
    def level2_share(self) -> float | None:
        return percent(self.level2, self.members)

    @property
    def households_text(self) -> str:
        return group_digits(self.households)

    @property
    def reached_text(self) -> str:
        return group_digits(self.reached)

    @property
    def not_reached_text(self) -> str:
        return group_digits(self.not_reached)

    @property
    def members_text(self) -> str:
        return group_digits(self.members)

    @property
    def level2_text(self) -> str:
        return group_digits(self.level2)


def _by_depth(units: Iterable[Area]) -> dict[int, dict[str, int]]:
    """Path length -> {path: unit id}: one grouped query per length."""
    groups: dict[int, dict[str, int]] = defaultdict(dict)
    for unit in units:
        groups[len(unit.path)][unit.path] = unit.pk
    return groups


def _reached_and_level2(
    campaign: Campaign, units: list[Area], figures: dict[int, dict] | None
) -> dict[int, tuple[int, int]]:
    """unit id -> (households reached, level-2 activations) over the campaign's period."""
    ids = [unit.pk for unit in units]
    # The figures hold the reach only when read from the campaign's own rows (the day tables
    # keep no households).
    if figures is not None and has_own_rows(campaign) and all(pk in figures for pk in ids):
        return {
            pk: (
                figures[pk].get("households_reached", 0),
                figures[pk][Indicator.LEVEL2_ACTIVATIONS],
            )
            for pk in ids
        }
    if has_own_rows(campaign):
        rows = CampaignAreaTally.objects.filter(campaign=campaign, area_id__in=ids).values_list(
            "area_id", "households_reached", Indicator.LEVEL2_ACTIVATIONS.value
        )
        return {area_id: (reached, level2) for area_id, reached, level2 in rows}
    reached = _reached_from_visits(campaign, units)
    totals = totals_by_area(campaign=campaign, area_ids=ids)
    return {pk: (reached.get(pk, 0), totals[pk].get(Indicator.LEVEL2_ACTIVATIONS, 0)) for pk in ids}


def _reached_from_visits(campaign: Campaign, units: list[Area]) -> dict[int, int]:
    """For a campaign without its own rows: the distinct households of the period's reaching
    visits, one grouped query per depth (its cost grows with the visits)."""
    result: dict[int, int] = {}
    for length, paths in _by_depth(units).items():
        rows = (
            Visit.objects.reaching()
            .filter(
                day__gte=campaign.start,
                day__lte=campaign.end,
                area__path__startswith=_common(paths),
            )
            .annotate(prefix=Substr("area__path", 1, length))
            .order_by()
            .values("prefix")
            .annotate(n=Count("household_id", distinct=True))
        )
        for row in rows:
            if row["prefix"] in paths:
                result[paths[row["prefix"]]] = row["n"]
    return result


def _common(paths: Iterable[str]) -> str:
    """One index range over the units' common ancestor; the grouping picks what is theirs."""
    return common_ancestor_path(list(paths))


def coverage_by_unit(
    *,
    campaign: Campaign,
    units: list[Area],
    figures: dict[int, dict] | None = None,
    registry: dict[int, tuple[int, int]] | None = None,
) -> dict[int, Coverage]:
    """Each unit's coverage over the campaign's period: two queries (the registry's counts,
    then the reach and level-2 activations) for a saved campaign; none when `figures` (the
    units' `campaign_area_rows`) hold the reach and `registry` (households.registry's answer)
    is given, both read already by a dashboard."""
    if not units:
        return {}
    if registry is None:
        registry = registry_by_unit(units)
    reach = _reached_and_level2(campaign, units, figures)
    return {
        unit.pk: Coverage(
            households=registry.get(unit.pk, (0, 0))[0],
            reached=reach.get(unit.pk, (0, 0))[0],
            members=registry.get(unit.pk, (0, 0))[1],
            level2=reach.get(unit.pk, (0, 0))[1],
        )
        for unit in units
    }


def groups_not_reached(*, campaign: Campaign, ward: Area, limit: int | None = None) -> list:
    """The residential groups of `ward`, most households not yet reached this campaign first:
    [(group, Coverage)]. Three queries."""
    groups = list(Area.objects.filter(path__startswith=ward.path, depth=ward.depth + 1))
    coverage = coverage_by_unit(campaign=campaign, units=groups)
    ranked = sorted(
        ((group, coverage[group.pk]) for group in groups),
        key=lambda item: (-item[1].not_reached, item[0].name),
    )
    return ranked[:limit] if limit else ranked
