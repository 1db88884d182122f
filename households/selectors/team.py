"""Reads of a team's work: the visits its members logged in its areas, the households of those
areas nobody has visited yet, and the members' visits waiting for review.

Every function takes the team's members and its reach (volunteers.selectors.team_reach_of) and
filters on both, so a team's page never shows another team's work, and issues a fixed number of
queries however many members or visits there are. Numbers are counts and sums of Visit rows.
"""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import Combinable
from django.utils.translation import gettext

from volunteers.selectors import TeamReach

from ..models import COUNT_FIELDS, Household, Visit, VisitEdit, VisitResult, VisitStatus


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end` (both included), optionally only inside `path`'s subtree (a
    campaign's scope, matched on the unit the visit counts in)."""

    start: datetime.date
    end: datetime.date
    path: str = ""

    def q(self) -> Q:
        condition = Q(day__gte=self.start, day__lte=self.end)
        if self.path:
            condition &= Q(area__path__startswith=self.path)
        return condition


def _reach_q(*, reach: TeamReach, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for path in reach.paths:
        condition |= Q(**{f"{prefix}area__path__startswith": path})
    if reach.household_ids:
        condition |= Q(**{f"{prefix}pk__in": sorted(reach.household_ids)})
    return condition


def team_visits(*, member_ids: Collection[int], reach: TeamReach) -> QuerySet[Visit]:
    """Counted visits (not rejected) by the team's members to households the team works."""
    return (
        Visit.objects.counted()
        .filter(volunteer_id__in=list(member_ids))
        .filter(_reach_q(reach=reach, prefix="household__"))
    )


def _helped() -> Combinable:
    total = F(COUNT_FIELDS[0])
    for name in COUNT_FIELDS[1:]:
        total += F(name)
    return total


def _figures(when: Q) -> dict:
    """The aggregates of one period, named for the page."""
    return {
        "visits": Count("pk", filter=when),
        "reached": Count("household", filter=when & ~Q(result=VisitResult.NOT_HOME), distinct=True),
        "helped": Sum(_helped(), filter=when, default=0),
        "install_guidance": Sum("install_guidance", filter=when, default=0),
        "level1_activations": Sum("level1_activations", filter=when, default=0),
        "level2_coaching": Sum("level2_coaching", filter=when, default=0),
        "dossiers": Sum(
            F("dossiers_eid") + F("dossiers_online") + F("dossiers_other"), filter=when, default=0
        ),
    }


def _periods(*, today: datetime.date, campaign: Period | None) -> dict[str, Q]:
    periods = {"today": Q(day=today)}
    if campaign is not None:
        periods["campaign"] = campaign.q()
    return periods


def team_totals(
    *,
    member_ids: Collection[int],
    reach: TeamReach,
    today: datetime.date,
    campaign: Period | None = None,
) -> dict[str, dict[str, int]]:
    """The team's figures today and over the campaign (one query)."""
    periods = _periods(today=today, campaign=campaign)
    aggregates = {
        f"{period}__{name}": expression
        for period, when in periods.items()
        for name, expression in _figures(when).items()
    }
    row = team_visits(member_ids=member_ids, reach=reach).aggregate(**aggregates)
    totals: dict[str, dict[str, int]] = {period: {} for period in periods}
    for key, value in row.items():
        period, name = key.split("__", 1)
        totals[period][name] = value or 0
    return totals


def team_member_totals(
    *,
    member_ids: Collection[int],
    reach: TeamReach,
    today: datetime.date,
    campaign: Period | None = None,
) -> dict[int, dict[str, int]]:
    """Each member's visits and people helped today and over the campaign (one query); members
    without a visit are absent."""
    aggregates = {}
    for period, when in _periods(today=today, campaign=campaign).items():
        aggregates[f"{period}_visits"] = Count("pk", filter=when)
        aggregates[f"{period}_helped"] = Sum(_helped(), filter=when, default=0)
    rows = (
        team_visits(member_ids=member_ids, reach=reach)
        .order_by()
        .values("volunteer_id")
        .annotate(**aggregates)
    )
    return {row.pop("volunteer_id"): row for row in rows}


def team_visits_recent(
    *, member_ids: Collection[int], reach: TeamReach, limit: int = 20
) -> list[Visit]:
    """The latest counted visits of the team, newest first (one query)."""
    return list(
        team_visits(member_ids=member_ids, reach=reach)
        .select_related("household", "household__area", "volunteer")
        .order_by("-day", "-device_time", "-pk")[:limit]
    )


def team_households_unvisited(
    *, reach: TeamReach, since: datetime.date | None = None, limit: int = 20
) -> tuple[int, list[Household]]:
    """Households the team works that nobody has visited (since `since`, a campaign's start;
    ever, without it): how many, and the first `limit` in address order (two queries)."""
    households = Household.objects.filter(_reach_q(reach=reach))
    if since is None:
        households = households.filter(last_visit_at__isnull=True)
    else:
        counted = Visit.objects.counted().filter(household=OuterRef("pk"), day__gte=since)
        households = households.filter(~Exists(counted))
    first = households.select_related("area").order_by("area__path", "address_key", "pk")
    return households.count(), list(first[:limit])


@dataclass(frozen=True)
class Flagged:
    visit: Visit
    reasons: list[str]


def team_review_flags(
    *, member_ids: Collection[int], reach: TeamReach, limit: int = 20
) -> tuple[int, list[Flagged]]:
    """The members' visits waiting for a coordinator's review, and why (three queries): the
    reasons households.review stored when its scan queued them, or, for a visit queued as it was
    logged, the count above the household's members that queued it."""
    waiting = team_visits(member_ids=member_ids, reach=reach).filter(
        status=VisitStatus.PENDING_REVIEW
    )
    visits: Sequence[Visit] = list(
        waiting.select_related("household", "household__area", "volunteer").order_by(
            "-device_time", "-pk"
        )[:limit]
    )
    stored: dict[int, list[str]] = {}
    edits = VisitEdit.objects.filter(visit__in=visits, changes__has_key="flags").order_by(
        "edited_at"
    )
    for visit_id, changes in edits.values_list("visit_id", "changes"):
        stored[visit_id] = list(changes.get("flags", []))
    flagged = []
    for visit in visits:
        reasons = stored.get(visit.pk) or []
        if not reasons and visit.over_members_confirmed:
            reasons = [gettext("Số người được hỗ trợ nhiều hơn số nhân khẩu của hộ.")]
        flagged.append(Flagged(visit=visit, reasons=reasons))
    return waiting.count(), flagged
