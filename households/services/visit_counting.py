"""What a visit counts: its deltas on the activity contract (campaigns' tallies), the raw
source a recompute reads them from, and the reach source a campaign counts its households
reached from."""

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from core.activity import PRESENCE, ActivityDelta, Indicator
from volunteers.models import User

from ..models import OTHER_HELP_FIELDS, Visit


def visit_counts(visit: Visit) -> dict[str, int]:
    """What a visit adds to the tallies. A visit "reaches" a household when someone was met:
    helped, refused or asked to come back — everything except nobody at home."""
    dossiers = visit.dossiers_eid + visit.dossiers_online + visit.dossiers_other
    return {
        Indicator.HOUSEHOLDS_VISITED: int(visit.reaches),
        Indicator.INSTALL_GUIDANCE: visit.install_guidance,
        Indicator.LEVEL1_ACTIVATIONS: visit.level1_activations,
        Indicator.LEVEL2_ACTIVATIONS: visit.level2_coaching,
        Indicator.DOSSIERS_TOTAL: dossiers,
        Indicator.DOSSIERS_EID: visit.dossiers_eid,
        Indicator.DOSSIERS_ONLINE: visit.dossiers_online,
        Indicator.OTHER_HELP: sum(getattr(visit, name) for name in OTHER_HELP_FIELDS),
    }


def visit_deltas(
    visit: Visit, sign: int = 1, teammate_ids: list[int] | None = None
) -> list[ActivityDelta]:
    """What a visit adds to the tallies: its counts and a presence for the volunteer who logged
    it, and a presence for each teammate at the door (`teammate_ids` when the caller has them,
    else read from the visit)."""
    if teammate_ids is None:
        teammate_ids = [user.pk for user in visit.teammates.all()]
    counts = {key: sign * value for key, value in visit_counts(visit).items()}
    deltas = [
        ActivityDelta(
            area_id=visit.area_id,
            day=visit.day,
            counts={**counts, PRESENCE: sign},
            volunteer_id=visit.volunteer_id,
            household_id=visit.household_id,
        )
    ]
    deltas += [
        ActivityDelta(
            area_id=visit.area_id, day=visit.day, counts={PRESENCE: sign}, volunteer_id=pk
        )
        for pk in teammate_ids
    ]
    return deltas


def visit_activity_source() -> Iterator[ActivityDelta]:
    """Every delta the raw visits imply (registered with core.activity for recomputes)."""
    visits = (
        Visit.objects.counted()
        .prefetch_related(Prefetch("teammates", queryset=User.objects.only("pk")))
        .order_by("pk")
    )
    for visit in visits.iterator(chunk_size=2000):
        yield from visit_deltas(visit)


def visit_reach_source(start: datetime.date, end: datetime.date) -> QuerySet:
    """The visits of [start, end] whose deltas reach their household (core.activity's reach
    source): exactly those `visit_deltas` gives a household and a HOUSEHOLDS_VISITED of one."""
    return (
        Visit.objects.reaching()
        .filter(day__gte=start, day__lte=end)
        .order_by()
        .values("household_id", "area_id")
    )
