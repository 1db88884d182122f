"""Reads of the sign-off: each unit's state for a period, who submitted and approved it when,
and whether the city has closed the period. A fixed number of queries for any number of units.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext

from areas.models import Area, Level
from areas.selectors import common_ancestor_path

from ..models import (
    NOT_SENT,
    NOT_SENT_LABEL,
    Campaign,
    SignOff,
    SignOffEvent,
    SignOffState,
)

_SHOWN = {
    SignOffState.SUBMITTED: "warn",
    SignOffState.APPROVED: "ok",
    SignOffState.RETURNED: "bad",
}


@dataclass
class UnitState:
    """What a unit's row says about its sign-off. For a ward: its own; for a unit above wards
    (a district of 2023): how many of its wards stand in each state."""

    code: str
    label: str
    tone: str = ""
    signoff: SignOff | None = None
    wards: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def who_when(self) -> str:
        signoff = self.signoff
        if signoff is None:
            return ""
        if signoff.decided_by_id and signoff.decided_at:
            return gettext("%(state)s bởi %(who)s lúc %(when)s") % {
                "state": signoff.get_state_display(),
                "who": signoff.decided_by.full_name,
                "when": signoff.decided_at.astimezone().strftime("%H:%M %d/%m/%Y"),
            }
        return gettext("gửi bởi %(who)s lúc %(when)s") % {
            "who": signoff.submitted_by.full_name,
            "when": signoff.submitted_at.astimezone().strftime("%H:%M %d/%m/%Y"),
        }

    @property
    def summary(self) -> str:
        """For a unit above wards: "3/12 đã duyệt · 2 đã gửi · 1 trả lại"."""
        approved = self.counts.get(SignOffState.APPROVED, 0)
        parts = [gettext("%(done)s/%(all)s đã duyệt") % {"done": approved, "all": self.wards}]
        for state in (SignOffState.SUBMITTED, SignOffState.RETURNED):
            if self.counts.get(state):
                parts.append(f"{self.counts[state]} {SignOffState(state).label}")
        return " · ".join(parts)


def _period(campaign: Campaign | None, month: datetime.date | None) -> Q:
    if campaign is not None and campaign.pk:
        return Q(campaign=campaign)
    return Q(month=month.replace(day=1)) if month else Q(pk__in=[])


def _state_of(signoff: SignOff | None) -> UnitState:
    if signoff is None or signoff.state not in _SHOWN:
        return UnitState(code=NOT_SENT, label=str(NOT_SENT_LABEL), signoff=signoff)
    return UnitState(
        code=signoff.state,
        label=signoff.get_state_display(),
        tone=_SHOWN[signoff.state],
        signoff=signoff,
    )


def signoff_states(
    *,
    areas: list[Area],
    campaign: Campaign | None = None,
    month: datetime.date | None = None,
) -> dict[int, UnitState]:
    """Each of `areas`' sign-off state for the period. Two queries: the wards' sign-offs under
    them, and (when some are above wards) how many wards each has."""
    if not areas:
        return {}
    # One range over the areas' common ancestor, the areas' own picked below: a city's 126
    # communes as 126 OR'd conditions cost more to build than the query took to run.
    common = common_ancestor_path([area.path for area in areas])
    signoffs = list(
        SignOff.objects.filter(
            _period(campaign, month), area__path__startswith=common, area__level=Level.WARD
        )
        .select_related("area", "submitted_by", "decided_by")
        .only(
            "pk",
            "state",
            "reason",
            "submitted_at",
            "decided_at",
            "campaign_id",
            "month",
            "area__path",
            "area__name",
            "area__level",
            "submitted_by__full_name",
            "decided_by__full_name",
        )
    )
    by_path = {
        signoff.area.path: signoff
        for signoff in signoffs
        if any(signoff.area.path.startswith(area.path) for area in areas)
    }
    above = [area for area in areas if area.level < Level.WARD]
    ward_counts: dict[int, int] = {}
    if above:
        paths = list(
            Area.objects.filter(
                path__startswith=common_ancestor_path([area.path for area in above]),
                level=Level.WARD,
            ).values_list("path", flat=True)
        )
        for area in above:
            ward_counts[area.pk] = sum(path.startswith(area.path) for path in paths)
    result = {}
    for area in areas:
        if area.level == Level.WARD:
            result[area.pk] = _state_of(by_path.get(area.path))
            continue
        if area.level > Level.WARD:
            continue  # a residential group signs nothing off
        counts: dict[str, int] = {}
        for path, signoff in by_path.items():
            if path.startswith(area.path):
                counts[signoff.state] = counts.get(signoff.state, 0) + 1
        wards = ward_counts.get(area.pk, 0)
        all_approved = wards and counts.get(SignOffState.APPROVED, 0) == wards
        result[area.pk] = UnitState(
            code="summary",
            label="",
            tone="ok" if all_approved else "",
            wards=wards,
            counts=counts,
        )
    return result


def period_closing(
    *, area: Area, campaign: Campaign | None = None, month: datetime.date | None = None
) -> SignOff | None:
    """One query: the city's closing (or reopening) of the period over `area`."""
    return (
        SignOff.objects.filter(_period(campaign, month), _closing_of(area))
        .select_related("decided_by", "area")
        .first()
    )


def _closing_of(area: Area) -> Q:
    return Q(
        area__path=area.path[: Area.steplen],
        state__in=[SignOffState.CLOSED, SignOffState.REOPENED],
    )


def signoff_history(*, signoff: SignOff) -> list[SignOffEvent]:
    return list(signoff.events.select_related("by"))


def _may(user, path: str, roles) -> bool:
    from volunteers.authority import roles_at

    return bool(roles_at(user=user, area=Area(path=path)) & roles)


def _is_child(unit: Area, area: Area) -> bool:
    return unit.path.startswith(area.path) and len(unit.path) == len(area.path) + Area.steplen


def signoff_panel(
    *, user, area: Area, campaign: Campaign | None = None, month: datetime.date | None = None
) -> dict:
    """What the sign-off box of `area`'s page shows `user` and offers them: the unit's own
    state and history (a ward), the wards waiting for their decision (the approving level),
    and the city's closing. Three queries at most."""
    from volunteers.access import CITY_AND_UP, COORDINATION, DISTRICT_AND_UP

    period = _period(campaign, month)
    is_waiting = Q(
        Q(area=area) | Q(area__path__startswith=area.path, area__depth=area.depth + 1),
        area__level=Level.WARD,
        state__in=[SignOffState.SUBMITTED, SignOffState.APPROVED],
    )
    # The city's closing and the wards waiting for a decision here, in one read.
    found = list(
        SignOff.objects.filter(period, _closing_of(area) | is_waiting)
        .select_related("area", "submitted_by", "decided_by")
        .order_by("area__path")
    )
    city_path = area.path[: Area.steplen]
    closing = next(
        (
            signoff
            for signoff in found
            if signoff.area.path == city_path
            and signoff.state in (SignOffState.CLOSED, SignOffState.REOPENED)
        ),
        None,
    )
    closed = closing is not None and closing.state == SignOffState.CLOSED
    own, history = None, []
    if area.level == Level.WARD:
        signoff = (
            SignOff.objects.filter(period, area=area)
            .select_related("area", "submitted_by", "decided_by")
            .first()
        )
        own = _state_of(signoff)
        history = signoff_history(signoff=signoff) if signoff else []
    waiting = [
        signoff
        for signoff in found
        if signoff is not closing
        and signoff.area.level == Level.WARD
        and signoff.state in (SignOffState.SUBMITTED, SignOffState.APPROVED)
        and (signoff.area_id == area.pk or _is_child(signoff.area, area))
        and _may(user, signoff.area.path[: -Area.steplen], DISTRICT_AND_UP)
    ]
    return {
        "own": own,
        "history": history,
        "can_submit": bool(
            own is not None
            and not closed
            and own.code in (NOT_SENT, SignOffState.RETURNED)
            and _may(user, area.path, COORDINATION)
        ),
        "waiting": waiting,
        "closing": closing,
        "closed": closed,
        "can_close": area.level == Level.PROVINCE and _may(user, area.path, CITY_AND_UP),
    }
