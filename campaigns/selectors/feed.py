"""Reads for the API (campaigns/api): the same figures as the dashboard, for a scope rather
than a signed-in user (a service account's key has no user), over whole subtrees and pages.

Each function issues a fixed number of queries, however many areas it returns; totals come
from the campaign's own summary rows (CampaignAreaTally), as `figures.totals_by_area` reads
them, with each row's unique volunteers and last change beside its counts.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from areas.models import Area, AreaSuccession
from areas.selectors import area_reach
from volunteers.scoping import Scope

from ..models import TALLY_FIELDS, Campaign, CampaignAreaTally, Target
from .figures import Counts, has_own_rows, totals_by_area, unique_volunteers


@dataclass(frozen=True)
class AreaFigures:
    counts: Counts
    unique_volunteers: int
    updated_at: datetime.datetime | None


@dataclass(frozen=True)
class FeedVersion:
    """What moves whenever any figure of an area's answers moves: its tally row's revision
    (every change below the area moves it), the targets, the campaign itself."""

    etag: str
    last_modified: datetime.datetime | None


def campaign_list_in(*, scope: Scope) -> QuerySet[Campaign]:
    return Campaign.objects.visible_in(scope).select_related("scope").order_by("-start", "pk")


def campaign_roots_in(*, scope: Scope, campaign: Campaign) -> list[Area]:
    """Where `scope`'s view of the campaign starts: its scope, or the scope's own units in it
    (several for a user with roles in several wards)."""
    if scope.contains(campaign.scope):
        return [campaign.scope]
    return list(
        scope.areas().filter(path__startswith=campaign.scope.path, path__in=list(scope.paths))
    )


def campaign_area_in(
    *, scope: Scope, campaign: Campaign, pk: int | None = None, code: str | None = None
) -> Area | None:
    """A unit inside both the campaign's scope and `scope`, by id or by national code (of the
    campaign's era: codes are reused across eras); None otherwise."""
    areas = Area.objects.filter(
        scope.q(field=""), path__startswith=campaign.scope.path, era=campaign.era
    )
    if pk is not None:
        areas = areas.filter(pk=pk)
    if code is not None:
        areas = areas.filter(code=code)
    return areas.first()


def area_figures(*, campaign: Campaign, areas: list[Area]) -> dict[int, AreaFigures]:
    """One query: each area's totals, unique volunteers and last change (zeros for none)."""
    ids = [area.pk for area in areas]
    result = {
        pk: AreaFigures(counts=dict.fromkeys(TALLY_FIELDS, 0), unique_volunteers=0, updated_at=None)
        for pk in ids
    }
    if not has_own_rows(campaign):  # an unsaved campaign: the day tables (slower, still exact)
        counts = totals_by_area(campaign=campaign, area_ids=ids)
        for area in areas:
            result[area.pk] = AreaFigures(
                counts=counts[area.pk],
                unique_volunteers=unique_volunteers(campaign=campaign, area=area),
                updated_at=None,
            )
        return result
    rows = CampaignAreaTally.objects.filter(campaign=campaign, area_id__in=ids).values(
        "area_id", "unique_volunteers", "updated_at", *TALLY_FIELDS
    )
    for row in rows:
        result[row["area_id"]] = AreaFigures(
            counts={name: row[name] for name in TALLY_FIELDS},
            unique_volunteers=row["unique_volunteers"],
            updated_at=row["updated_at"],
        )
    return result


def subtree_areas(
    *,
    campaign: Campaign,
    root: Area,
    depth: int,
    changed_since: datetime.datetime | None = None,
) -> QuerySet[Area]:
    """`root` and the units down to `depth` levels below it, in tree order; with
    `changed_since`, only those whose totals moved after it. Everything below a unit of the
    scope is in the scope, so the root's check covers the subtree."""
    areas = Area.objects.filter(
        path__startswith=root.path, depth__lte=root.depth + depth, era=campaign.era
    )
    if changed_since is not None:
        moved = CampaignAreaTally.objects.filter(
            campaign=campaign,
            area__path__startswith=root.path,
            updated_at__gt=changed_since,
        ).values("area_id")
        areas = areas.filter(pk__in=moved)
    return areas.order_by("path")


def feed_version(*, campaign: Campaign, area: Area, variant: str = "") -> FeedVersion:
    """Two queries: the validator of every answer about `area` in `campaign` (`variant`:
    whatever else shapes the answer, such as its parameters and language)."""
    tally = (
        CampaignAreaTally.objects.filter(campaign=campaign, area=area)
        .values_list("revision", "updated_at")
        .first()
    ) or (0, None)
    targets = Target.objects.filter(campaign=campaign).aggregate(
        last=Max("updated_at"), rows=Count("pk")
    )
    parts = [
        campaign.pk,
        campaign.updated_at.isoformat(),
        area.pk,
        *tally,
        targets["last"],
        targets["rows"],
        variant,
    ]
    etag = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    moments = [moment for moment in (tally[1], targets["last"], campaign.updated_at) if moment]
    return FeedVersion(etag=etag, last_modified=max(moments) if moments else None)


# --- The tree ---------------------------------------------------------------------------------
def api_areas(
    *,
    scope: Scope,
    era: str | None = None,
    level: int | None = None,
    parents: list[Area] | None = None,
    code: str | None = None,
    text: str | None = None,
) -> QuerySet[Area]:
    """Units the scope reaches (its subtrees, and the pre-2025 units it took over whole), by
    era, level, parent, national code and name (accent-insensitive), in tree order."""
    areas = Area.objects.filter(area_reach(within=scope.q(field="")))
    if era:
        areas = areas.filter(era=era)
    if level:
        areas = areas.filter(level=level)
    if parents is not None:
        below = Q(pk__in=[])
        for parent in parents:
            below |= Q(path__startswith=parent.path, depth=parent.depth + 1)
        areas = areas.filter(below)
    if code:
        areas = areas.filter(code=code)
    if text:
        areas = areas.matching(text)
    return areas.order_by("era", "path")


def api_area_get(
    *, scope: Scope, pk: int | None = None, code: str | None = None, era: str | None = None
) -> list[Area]:
    """The units the scope reaches with this id and/or code (and era): at most two, one per
    era, for a code without an era."""
    areas = Area.objects.filter(area_reach(within=scope.q(field="")))
    if pk is not None:
        areas = areas.filter(pk=pk)
    if code is not None:
        areas = areas.filter(code=code)
    if era is not None:
        areas = areas.filter(era=era)
    return list(areas.order_by("era", "path")[:2])


def parents_of(areas: list[Area]) -> dict[str, Area]:
    """One query: the unit above each of `areas`, by its path."""
    paths = {area.path[: -Area.steplen] for area in areas if area.depth > 1}
    return {area.path: area for area in Area.objects.filter(path__in=paths)} if paths else {}


def api_successions(
    *,
    scope: Scope,
    predecessor: Area | None = None,
    successor: Area | None = None,
    of: list[Area] | None = None,
) -> QuerySet[AreaSuccession]:
    """The old → new mapping (1 July 2025) where either side is reached by the scope."""
    reached = Area.objects.filter(area_reach(within=scope.q(field="")))
    links = AreaSuccession.objects.filter(
        Q(predecessor__in=reached) | Q(successor__in=reached)
    ).select_related("predecessor", "successor")
    if predecessor is not None:
        links = links.filter(predecessor=predecessor)
    if successor is not None:
        links = links.filter(successor=successor)
    if of is not None:  # either side
        links = links.filter(Q(predecessor__in=of) | Q(successor__in=of))
    return links.order_by("predecessor__path", "successor__path")
