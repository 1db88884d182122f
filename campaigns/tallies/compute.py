"""The summary tables computed in memory from a stream of deltas: the shapes, keys and columns
every other module of the package shares, and `tallies_from_deltas` (the rebuild, the drift
check and the property tests' oracle)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from areas.models import Area
from core.activity import PARTICIPATIONS, PRESENCE, ActivityDelta, Indicator

from ..models import Campaign

INDICATORS: list[str] = list(Indicator.values)
AREA_COLUMNS: list[str] = [*INDICATORS, PARTICIPATIONS]
UNIQUE = "unique_volunteers"
REACHED = "households_reached"
CAMPAIGN_AREA_COLUMNS: list[str] = [*AREA_COLUMNS, UNIQUE, REACHED]
HOUSEHOLD_VISITS = "visits"
ACTIVE_DAYS = "active_days"
CAMPAIGN_VOLUNTEER_COLUMNS: list[str] = [*INDICATORS, ACTIVE_DAYS]
VOLUNTEER_COLUMNS: list[str] = [*INDICATORS, PRESENCE]

AreaKey = tuple[int, datetime.date]
VolunteerKey = tuple[int, int, datetime.date]
CampaignAreaKey = tuple[int, int]
CampaignVolunteerKey = tuple[int, int, int]
CampaignHouseholdKey = tuple[int, int, int]  # campaign, area, household


@dataclass
class Tallies:
    areas: dict[AreaKey, dict[str, int]] = field(default_factory=dict)
    volunteers: dict[VolunteerKey, dict[str, int]] = field(default_factory=dict)
    campaign_areas: dict[CampaignAreaKey, dict[str, int]] = field(default_factory=dict)
    campaign_volunteers: dict[CampaignVolunteerKey, dict[str, int]] = field(default_factory=dict)
    campaign_households: dict[CampaignHouseholdKey, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """What a campaign's rows depend on: its scope and period."""

    pk: int
    scope_id: int
    start: datetime.date
    end: datetime.date


def zero(columns: list[str]) -> dict[str, int]:
    return dict.fromkeys(columns, 0)


def ancestor_ids_by_leaf(area_ids: Iterable[int]) -> dict[int, list[int]]:
    """Two queries: each leaf's id mapped to the ids of itself and every unit above it."""
    leaf_paths = dict(Area.objects.filter(pk__in=set(area_ids)).values_list("pk", "path"))
    wanted = {
        path[:end]
        for path in leaf_paths.values()
        for end in range(Area.steplen, len(path) + 1, Area.steplen)
    }
    id_by_path = dict(Area.objects.filter(path__in=wanted).values_list("path", "pk"))
    return {
        leaf: [id_by_path[path[:end]] for end in range(Area.steplen, len(path) + 1, Area.steplen)]
        for leaf, path in leaf_paths.items()
    }


def chains_of(ancestors: dict[int, list[int]]) -> dict[int, list[int]]:
    """Every area on the leaves' chains mapped to its own chain (itself and above)."""
    chains: dict[int, list[int]] = {}
    for chain in ancestors.values():
        for index, area_id in enumerate(chain):
            chains.setdefault(area_id, chain[: index + 1])
    return chains


class Coverage:
    """Which campaigns count an (area, day): period holds the day, scope holds the area."""

    def __init__(self, spans: Iterable[Span], chains: dict[int, list[int]]) -> None:
        self.by_scope: dict[int, list[Span]] = defaultdict(list)
        for span in spans:
            self.by_scope[span.scope_id].append(span)
        self.chains = chains

    def __bool__(self) -> bool:
        return bool(self.by_scope)

    def of(self, area_id: int, day: datetime.date) -> list[int]:
        return [
            span.pk
            for scope_id in self.chains.get(area_id, ())
            for span in self.by_scope.get(scope_id, ())
            if span.start <= day <= span.end
        ]


def campaign_spans(
    *, scope_ids: Iterable[int] | None = None, days: list[datetime.date] | None = None
) -> list[Span]:
    campaigns = Campaign.objects.all()
    if scope_ids is not None:
        campaigns = campaigns.filter(scope_id__in=set(scope_ids))
    if days:
        campaigns = campaigns.filter(start__lte=max(days), end__gte=min(days))
    return [Span(*row) for row in campaigns.values_list("pk", "scope_id", "start", "end")]


def fold_deltas(
    deltas: Iterable[ActivityDelta], ancestors: dict[int, list[int]]
) -> tuple[dict[AreaKey, dict[str, int]], dict[VolunteerKey, dict[str, int]]]:
    """Net the deltas per (area, day) and (volunteer, area, day) at every level."""
    areas: dict[AreaKey, dict[str, int]] = defaultdict(lambda: zero(AREA_COLUMNS))
    volunteers: dict[VolunteerKey, dict[str, int]] = defaultdict(lambda: zero(VOLUNTEER_COLUMNS))
    for delta in deltas:
        indicator_counts = {k: v for k, v in delta.counts.items() if k in INDICATORS and v}
        own_counts = {k: v for k, v in delta.counts.items() if k in VOLUNTEER_COLUMNS and v}
        checkins = delta.counts.get(PARTICIPATIONS, 0)
        for area_id in ancestors.get(delta.area_id, ()):
            row = areas[(area_id, delta.day)]
            for key, value in indicator_counts.items():
                row[key] += value
            row[PARTICIPATIONS] += checkins
            if delta.volunteer_id is not None and own_counts:
                vrow = volunteers[(delta.volunteer_id, area_id, delta.day)]
                for key, value in own_counts.items():
                    vrow[key] += value
    return areas, volunteers


def fold_households(
    deltas: Iterable[ActivityDelta], ancestors: dict[int, list[int]], coverage: "Coverage"
) -> dict[CampaignHouseholdKey, int]:
    """Net the reaching visits per (campaign, area, household) at every level of the scope:
    the deltas that carry a household, by their HOUSEHOLDS_VISITED count."""
    reached: dict[CampaignHouseholdKey, int] = defaultdict(int)
    for delta in deltas:
        count = delta.counts.get(Indicator.HOUSEHOLDS_VISITED, 0)
        if delta.household_id is None or not count:
            continue
        for area_id in ancestors.get(delta.area_id, ()):
            for campaign_id in coverage.of(area_id, delta.day):
                reached[(campaign_id, area_id, delta.household_id)] += count
    return reached


def add_counts(row: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        if key in row:
            row[key] += value


def _nonzero(rows: dict) -> dict:
    return {key: dict(row) for key, row in rows.items() if any(row.values())}


def tallies_from_deltas(
    deltas: Iterable[ActivityDelta], spans: Iterable[Span] | None = None
) -> Tallies:
    """The summary tables implied by `deltas` (and the campaigns' `spans`, default: every
    campaign in the database), computed in memory, rows of zeros dropped."""
    deltas = list(deltas)
    ancestors = ancestor_ids_by_leaf(delta.area_id for delta in deltas)
    areas, volunteers = fold_deltas(deltas, ancestors)
    for (_volunteer_id, area_id, day), counts in volunteers.items():
        if sum(counts.values()) > 0:
            areas[(area_id, day)][PARTICIPATIONS] += 1
    coverage = Coverage(campaign_spans() if spans is None else spans, chains_of(ancestors))
    campaign_areas: dict = defaultdict(lambda: zero(CAMPAIGN_AREA_COLUMNS))
    campaign_volunteers: dict = defaultdict(lambda: zero(CAMPAIGN_VOLUNTEER_COLUMNS))
    for (area_id, day), counts in areas.items():
        for campaign_id in coverage.of(area_id, day):
            add_counts(campaign_areas[(campaign_id, area_id)], counts)
    for (volunteer_id, area_id, day), counts in volunteers.items():
        for campaign_id in coverage.of(area_id, day):
            row = campaign_volunteers[(campaign_id, area_id, volunteer_id)]
            add_counts(row, counts)
            row[ACTIVE_DAYS] += int(sum(counts.values()) > 0)
    for (campaign_id, area_id, _volunteer_id), row in campaign_volunteers.items():
        if row[ACTIVE_DAYS] > 0:
            campaign_areas[(campaign_id, area_id)][UNIQUE] += 1
    campaign_households = fold_households(deltas, ancestors, coverage)
    for (campaign_id, area_id, _household_id), visits in campaign_households.items():
        if visits > 0:
            campaign_areas[(campaign_id, area_id)][REACHED] += 1
    return Tallies(
        areas=_nonzero(areas),
        volunteers=_nonzero(volunteers),
        campaign_areas=_nonzero(campaign_areas),
        campaign_volunteers=_nonzero(campaign_volunteers),
        campaign_households={
            key: {HOUSEHOLD_VISITS: visits} for key, visits in campaign_households.items() if visits
        },
    )
