"""Coverage against the registry: for each unit, the households on its lists, those reached in
the campaign's period, and the share; the members on its lists against the level-2 activations
counted. What tells a coordinator where to go next.

The registry is the household lists as they stand (each household in its residential group);
reached is a counted visit in the period that met someone (the "households visited" rule: not
"nobody at home", not rejected), attributed as the visits are (to the unit of their day). Each
function issues a fixed number of queries: one per distinct depth of the units asked for.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from areas.models import Area
from core.activity import Indicator
from households.models import Household, Visit, VisitResult, VisitStatus

from ..models import Campaign
from .figures import _common_ancestor_path, totals_by_area
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


def _registry(units: list[Area]) -> dict[int, tuple[int, int]]:
    result: dict[int, tuple[int, int]] = {}
    for length, paths in _by_depth(units).items():
        rows = (
            Household.objects.filter(area__path__startswith=_common(paths))
            .annotate(prefix=Substr("area__path", 1, length))
            .order_by()
            .values("prefix")
            .annotate(n=Count("pk"), people=Sum("members"))
        )
        for row in rows:
            if row["prefix"] in paths:
                result[paths[row["prefix"]]] = (row["n"], row["people"] or 0)
    return result


def _reached(campaign: Campaign, units: list[Area]) -> dict[int, int]:
    result: dict[int, int] = {}
    for length, paths in _by_depth(units).items():
        rows = (
            Visit.objects.filter(
                day__gte=campaign.start,
                day__lte=campaign.end,
                area__path__startswith=_common(paths),
            )
            .exclude(status=VisitStatus.REJECTED)
            .exclude(result=VisitResult.NOT_HOME)
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
    return _common_ancestor_path(list(paths))


def coverage_by_unit(*, campaign: Campaign, units: list[Area]) -> dict[int, Coverage]:
    """Each unit's coverage over the campaign's period. At most 2 queries per distinct depth
    of `units`, and one for the level-2 activations."""
    if not units:
        return {}
    registry = _registry(units)
    reached = _reached(campaign, units)
    totals = totals_by_area(campaign=campaign, area_ids=[unit.pk for unit in units])
    return {
        unit.pk: Coverage(
            households=registry.get(unit.pk, (0, 0))[0],
            reached=reached.get(unit.pk, 0),
            members=registry.get(unit.pk, (0, 0))[1],
            level2=totals[unit.pk].get(Indicator.LEVEL2_ACTIVATIONS, 0),
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


# Coverage reads the period's visits themselves (households reached, counted once each), so
# its cost grows with the visits, unlike the summary tables behind every other figure. The
# dashboard, whose cached body is rebuilt at every new visit, keeps coverage for a few minutes
# (the card says when it was counted); the API and the report count it afresh.
COVERAGE_CACHE_SECONDS = 600


@dataclass
class CoverageSnapshot:
    by_unit: dict[int, Coverage]
    counted_at: datetime.datetime


def coverage_snapshot(*, campaign: Campaign, area: Area, units: list[Area]) -> CoverageSnapshot:
    """coverage_by_unit for `area` and `units`, as counted at most COVERAGE_CACHE_SECONDS ago."""
    ids = sorted({area.pk, *(unit.pk for unit in units)})
    key = "campaigns:coverage:" + hashlib.sha256(f"{campaign.pk}:{ids}".encode()).hexdigest()
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = CoverageSnapshot(
            by_unit=coverage_by_unit(campaign=campaign, units=[area, *units]),
            counted_at=timezone.now(),
        )
        cache.set(key, snapshot, COVERAGE_CACHE_SECONDS)
    return snapshot
