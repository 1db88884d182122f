"""Reads of the sign-off: each unit's state for a period, who submitted and approved it when,
and whether the city has closed the period. A fixed number of queries for any number of units.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from areas.models import Area, Level
from areas.selectors import common_ancestor_path
from volunteers.models import User

from ..models import (
    NOT_SENT,
    NOT_SENT_LABEL,
    Campaign,
    SignOff,
    SignOffEvent,
    SignOffState,
)
from .batch import instance, read_of, read_together

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


def _state_of(signoff: SignOff | None, not_sent: str | None = None) -> UnitState:
    """`not_sent`: the words for no sign-off, which a long list translates once."""
    if signoff is None or signoff.state not in _SHOWN:
        return UnitState(code=NOT_SENT, label=not_sent or str(NOT_SENT_LABEL), signoff=signoff)
    return UnitState(
        code=signoff.state,
        label=signoff.get_state_display(),
        tone=_SHOWN[signoff.state],
        signoff=signoff,
    )


# --- Reads, and the sign-offs made from their rows (shared with the dashboard's batch) -----------
_SIGNOFF_FIELDS = [f.attname for f in SignOff._meta.concrete_fields]
_READ_FIELDS = [
    *_SIGNOFF_FIELDS,
    "area__path",
    "area__name",
    "area__level",
    "area__depth",
    "submitted_by__full_name",
    "decided_by__full_name",
]


def signoffs_read(where: Q) -> QuerySet:
    """Sign-offs with the unit and the names their boxes show, as rows for `signoffs_from`."""
    return SignOff.objects.filter(where).values_list(*_READ_FIELDS)


def signoffs_from(rows: Iterable[tuple]) -> list[SignOff]:
    """SignOff instances (with their unit, submitter and decider) from `signoffs_read` rows,
    in their units' tree order."""
    width, result = len(_SIGNOFF_FIELDS), []
    for row in rows:
        signoff = SignOff.from_db(None, _SIGNOFF_FIELDS, row[:width])
        path, name, level, depth, submitter, decider = row[width:]
        signoff.area = instance(
            Area, id=signoff.area_id, path=path, name=name, level=level, depth=depth
        )
        signoff.submitted_by = instance(User, id=signoff.submitted_by_id, full_name=submitter)
        if signoff.decided_by_id:
            signoff.decided_by = instance(User, id=signoff.decided_by_id, full_name=decider)
        result.append(signoff)
    result.sort(key=lambda signoff: signoff.area.path)
    return result


def wards_read(areas: list[Area]) -> QuerySet | None:
    """The paths of the wards under those of `areas` above ward level (none: no read)."""
    above = [area for area in areas if area.level < Level.WARD]
    if not above:
        return None
    return Area.objects.filter(
        path__startswith=common_ancestor_path([area.path for area in above]), level=Level.WARD
    ).values_list("path")


def under_wards(areas: list[Area]) -> Q:
    """The sign-offs `signoff_states` reads for `areas`: of the wards under their common
    ancestor (one range: a city's 126 communes as 126 OR'd conditions cost more to build than
    the query took to run), the areas' own picked in `signoff_states_from`."""
    common = common_ancestor_path([area.path for area in areas])
    return Q(area__path__startswith=common, area__level=Level.WARD)


def signoff_states_from(
    areas: list[Area], signoffs: list[SignOff], ward_paths: Iterable[tuple[str]] = ()
) -> dict[int, UnitState]:
    """`signoff_states`' answer from its reads' rows (`signoffs` may hold others too). Each
    ward's sign-off and path is matched to the units above it through its path's prefixes:
    linear in wards, not units × wards."""
    by_path = {
        signoff.area.path: signoff for signoff in signoffs if signoff.area.level == Level.WARD
    }
    above = {area.path: area.pk for area in areas if area.level < Level.WARD}
    lengths = sorted({len(path) for path in above})
    counts: dict[int, dict[str, int]] = {pk: {} for pk in above.values()}
    wards = dict.fromkeys(above.values(), 0)
    for path, signoff in by_path.items():
        for length in lengths:
            if (pk := above.get(path[:length])) is not None:
                counts[pk][signoff.state] = counts[pk].get(signoff.state, 0) + 1
    for (path,) in ward_paths:
        for length in lengths:
            if (pk := above.get(path[:length])) is not None:
                wards[pk] += 1
    result, not_sent = {}, str(NOT_SENT_LABEL)
    for area in areas:
        if area.level == Level.WARD:
            result[area.pk] = _state_of(by_path.get(area.path), not_sent)
        elif area.level < Level.WARD:  # a residential group signs nothing off
            approved = counts[area.pk].get(SignOffState.APPROVED, 0)
            result[area.pk] = UnitState(
                code="summary",
                label="",
                tone="ok" if wards[area.pk] and approved == wards[area.pk] else "",
                wards=wards[area.pk],
                counts=counts[area.pk],
            )
    return result


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
    signoffs = signoffs_from(signoffs_read(_period(campaign, month) & under_wards(areas)))
    wards = wards_read(areas)
    return signoff_states_from(areas, signoffs, wards if wards is not None else ())


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


def panel_read(*, area: Area, campaign: Campaign | None = None, month=None) -> Q:
    """The sign-offs the box of `area`'s page shows: the city's closing, the unit's own, and
    its wards' (those waiting for a decision here are picked by `signoff_panel_from`)."""
    return _period(campaign, month) & (
        _closing_of(area)
        | Q(area=area)
        | Q(area__path__startswith=area.path, area__depth=area.depth + 1, area__level=Level.WARD)
    )


def page_read(*, area: Area, campaign: Campaign | None = None, month=None) -> Q:
    """Every sign-off a unit's dashboard shows: its wards' (the states on its rows, and the box's
    own and waiting ones) and the city's closing, in one range over the unit."""
    return _period(campaign, month) & (
        _closing_of(area) | Q(area__path__startswith=area.path, area__level=Level.WARD)
    )


def history_read(*, area: Area, campaign: Campaign | None = None, month=None) -> QuerySet:
    """The history of `area`'s own sign-off (a ward's), as rows for `signoff_history_from`."""
    return SignOffEvent.objects.filter(
        signoff__in=SignOff.objects.filter(_period(campaign, month), area=area)
    ).values_list("id", "at", "action", "reason", "by_id", "by__full_name")


def signoff_history_from(rows: Iterable[tuple]) -> list[SignOffEvent]:
    events = []
    for pk, at, action, reason, by_id, by_name in rows:
        event = instance(SignOffEvent, id=pk, at=at, action=action, reason=reason, by_id=by_id)
        event.by = instance(User, id=by_id, full_name=by_name)
        events.append(event)
    events.sort(key=lambda event: (event.at, event.pk))
    return events


@dataclass
class PanelData:
    """What the sign-off box of a unit's page shows, whoever looks: the city's closing, the
    unit's own sign-off and its history, and the sign-offs waiting for a decision here. Who may
    act on them is decided per viewer (`signoff_panel_from`)."""

    closing: SignOff | None
    own: SignOff | None
    history: list[SignOffEvent]
    waiting: list[SignOff]


def panel_data_from(area: Area, signoffs: list[SignOff], history: list[SignOffEvent]) -> PanelData:
    """The box's data from the sign-offs of `panel_read` (or any read holding them)."""
    city_path = area.path[: Area.steplen]
    closing = next(
        (
            signoff
            for signoff in signoffs
            if signoff.area.path == city_path
            and signoff.state in (SignOffState.CLOSED, SignOffState.REOPENED)
        ),
        None,
    )
    own = next((s for s in signoffs if s.area_id == area.pk and s.area.level == Level.WARD), None)
    waiting = [
        signoff
        for signoff in signoffs
        if signoff is not closing
        and signoff.area.level == Level.WARD
        and signoff.state in (SignOffState.SUBMITTED, SignOffState.APPROVED)
        and (signoff.area_id == area.pk or _is_child(signoff.area, area))
    ]
    return PanelData(closing=closing, own=own, history=history if own else [], waiting=waiting)


def signoff_panel_from(*, user, area: Area, data: PanelData) -> dict:
    """The box for `user`: what it shows and what it offers them. No query (the roles are read
    with the user)."""
    from volunteers.access import CITY_AND_UP, COORDINATION, DISTRICT_AND_UP

    closing = data.closing
    closed = closing is not None and closing.state == SignOffState.CLOSED
    own = _state_of(data.own) if area.level == Level.WARD else None
    waiting = [
        signoff
        for signoff in data.waiting
        if _may(user, signoff.area.path[: -Area.steplen], DISTRICT_AND_UP)
    ]
    return {
        "own": own,
        "history": data.history,
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


def signoff_panel(
    *, user, area: Area, campaign: Campaign | None = None, month: datetime.date | None = None
) -> dict:
    """What the sign-off box of `area`'s page shows `user` and offers them: the unit's own
    state and history (a ward), the wards waiting for their decision (the approving level),
    and the city's closing. One query (two for a ward, with its history)."""
    if area.level == Level.WARD:
        reads = read_together(
            signoffs=read_of(signoffs_read(panel_read(area=area, campaign=campaign, month=month))),
            history=read_of(history_read(area=area, campaign=campaign, month=month)),
        )
        signoffs, history = signoffs_from(reads["signoffs"]), signoff_history_from(reads["history"])
    else:
        signoffs = signoffs_from(
            signoffs_read(panel_read(area=area, campaign=campaign, month=month))
        )
        history = []
    return signoff_panel_from(user=user, area=area, data=panel_data_from(area, signoffs, history))
