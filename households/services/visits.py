"""Writes of visits: recorded once however often the phone sends them, edited, reviewed; and
the activity each one moves (the contract campaigns counts)."""

import datetime
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.selectors import area_as_of
from core.activity import ActivityDelta, activity_batch, activity_record
from volunteers.models import User

from ..models import (
    COUNT_FIELDS,
    STATUS_CHAIN,
    DigitalStatus,
    Household,
    Visit,
    VisitResult,
    VisitStatus,
    status_rank,
)
from ..selectors import household_in_reach, teammate_ids_for
from .common import (
    EARLIEST_VISIT,
    FUTURE_TOLERANCE,
    SENDER,
    _same_or_conflict,
    fingerprint,
)
from .households import (
    household_status_advance,
)
from .visit_counting import visit_deltas
from .visit_rows import visits_insert


# --- Visits ----------------------------------------------------------------------------------
def visit_steps_of(value: str | Iterable[str] | None) -> list[str]:
    """The chain steps a visit reports, in chain order: one (as older phones send it, a
    string) or several ticked in one sitting (install and level 1, say). Unknown values are
    kept, last, for the rules to refuse."""
    values = [value] if isinstance(value, str) else list(value or [])
    known = {step for step in values if step in STATUS_CHAIN}
    unknown = [step for step in values if step and step not in STATUS_CHAIN]
    return sorted(known, key=status_rank) + unknown


def _visit_payload(*, household: Household, data: Mapping[str, Any]) -> dict:
    device_time = data["device_time"]
    steps = visit_steps_of(data.get("status_to"))
    payload = {
        "household": household.pk,
        "result": data["result"],
        "device_time": device_time.astimezone(datetime.UTC).replace(microsecond=0).isoformat(),
        # The furthest step reached; a visit of one step keeps the payload (and so the
        # fingerprint of a resend) it had before several steps were possible.
        "status_to": steps[-1] if steps else "",
        "notes": (data.get("notes") or "").strip(),
        "over_members_confirmed": bool(data.get("over_members_confirmed")),
        "teammates": sorted(set(data.get("teammates") or [])),
        **{name: int(data.get(name) or 0) for name in COUNT_FIELDS},
    }
    if len(steps) > 1:
        payload["steps"] = steps
    return payload


def _payload_steps(payload: dict) -> list[str]:
    return payload.get("steps") or ([payload["status_to"]] if payload["status_to"] else [])


def _steps_rule(steps: list[str]) -> str | None:
    """Several steps of one visit follow each other along the chain, without a gap."""
    for step in steps:
        if step not in STATUS_CHAIN or status_rank(step) == 0:
            return _("Bước không hợp lệ.")
    for before, after in itertools.pairwise(steps):
        if status_rank(after) != status_rank(before) + 1:
            missing = DigitalStatus(STATUS_CHAIN[status_rank(before) + 1]).label
            return _(
                "Các bước phải liền nhau theo thứ tự: cần qua bước “%(step)s” trước “%(target)s”."
            ) % {"step": missing, "target": DigitalStatus(after).label}
    return None


def _visit_rules(
    *, volunteer: User, household: Household, payload: dict, kept_teammates=()
) -> list[int]:
    """Validate a visit's payload; returns the teammates to record. `kept_teammates`: those
    already on the visit being edited, who stay allowed after leaving the volunteer's team."""
    errors: dict[str, str] = {}
    device_time = datetime.datetime.fromisoformat(payload["device_time"])
    if device_time > timezone.now() + FUTURE_TOLERANCE:
        errors["device_time"] = _(
            "Thời điểm lượt thăm ở tương lai: kiểm tra lại ngày giờ trên điện thoại."
        )
    elif timezone.localdate(device_time) < EARLIEST_VISIT:
        errors["device_time"] = _("Thời điểm lượt thăm quá xa trong quá khứ.")
    counts = [payload[name] for name in COUNT_FIELDS]
    if any(count < 0 for count in counts):
        errors["result"] = _("Số người không được âm.")
    if payload["result"] in (VisitResult.NOT_HOME, VisitResult.REFUSED) and any(counts):
        errors["result"] = _(
            "Không có nhà hoặc từ chối thì không có người được hỗ trợ: để các số bằng 0."
        )
    steps = _payload_steps(payload)
    if steps and payload["result"] != VisitResult.HELPED:
        errors["status_to"] = _(
            "Chỉ ghi bước đã làm được khi kết quả là đã hỗ trợ: bỏ chọn bước, hoặc đổi kết quả."
        )
    elif problem := _steps_rule(steps):
        errors["status_to"] = problem
    if max(counts, default=0) > household.members and not payload["over_members_confirmed"]:
        errors["over_members_confirmed"] = _(
            "Số người được hỗ trợ nhiều hơn số nhân khẩu của hộ (%(members)s). Kiểm tra lại, "
            "hoặc đánh dấu xác nhận nếu đúng."
        ) % {"members": household.members}
    teammates = [pk for pk in payload["teammates"] if pk != volunteer.pk]
    if teammates and set(teammates) - set(kept_teammates) - teammate_ids_for(user=volunteer):
        errors["teammates"] = _("Người cùng đi phải là thành viên tổ của bạn.")
    if errors:
        raise ValidationError(errors, code="invalid")
    return teammates


def _visit_sent(*, household: Household, data: Mapping[str, Any]) -> tuple[dict, dict, str]:
    """(the data with its time, the payload, its fingerprint) of a visit as sent."""
    client_time = data.get("device_time")
    data = {**data, "device_time": client_time or timezone.now()}
    payload = _visit_payload(household=household, data=data)
    # A time the server filled in (a form sent without script) is not part of what the phone
    # sent: the same form posted again a moment later is the same visit, not a changed one.
    sent = payload if client_time else {k: v for k, v in payload.items() if k != "device_time"}
    return data, payload, fingerprint(sent)


def visit_record(
    *,
    volunteer: User,
    household: Household,
    client_id: UUID,
    data: Mapping[str, Any],
    prechecked: bool = False,
    savepoint: bool = True,
) -> tuple[Visit, bool]:
    """Record a visit once, however many times the phone sends it. Returns (visit, created).

    The same id with the same payload returns the existing visit; with another payload it
    raises Conflict and changes nothing. Two racing requests meet at the unique constraint.

    `prechecked`: the caller loaded `household` through `selectors.household_for_visit` in
    this request (so it is in the volunteer's reach) and no visit had `client_id` yet — the
    two lookups are skipped; the unique constraint still settles a race.

    `savepoint=False`: the caller's transaction is this visit's (the sync protocol runs each
    item in its own); no savepoint is opened here, and a race's IntegrityError goes up to the
    caller, whose transaction it broke (the protocol runs the item once more: a resend).
    """
    data, payload, digest = _visit_sent(household=household, data=data)
    try:
        # No savepoint inside: a duplicate client id aborts this whole (small) transaction, and
        # the existing visit is read after it.
        with transaction.atomic(savepoint=savepoint):
            return _visit_create(
                volunteer=volunteer,
                household=household,
                client_id=client_id,
                data=data,
                payload=payload,
                digest=digest,
                prechecked=prechecked,
            )
    except IntegrityError:
        if not savepoint and transaction.get_connection().in_atomic_block:
            raise
        existing = Visit.objects.filter(client_uuid=client_id).first()
        if existing is None:
            raise
        return _same_or_conflict(existing, digest)


@dataclass(frozen=True)
class VisitEntry:
    """One new visit for `visit_record_many`: as `visit_record` takes it, prechecked."""

    household: Household
    client_id: UUID
    data: Mapping[str, Any]


def visit_record_many(
    *, volunteer: User, entries: Sequence[VisitEntry]
) -> list[Visit | ValidationError | None]:
    """Record new visits of one volunteer together (a phone's backlog): the rules of
    `visit_record`, each entry checked on its own, then one INSERT of the visits, one of their
    teammates and one UPDATE of their households' last visit, whatever their number (the
    activity is sent once, `core.activity.activity_batch`).

    Each entry is answered, in order: the visit created, or the ValidationError that refused
    it (nothing of it is written); None for one left to `visit_record` — a visit that moves
    its household's steps (each step locks and moves the household in turn) or repeats an
    earlier entry's client id. As `visit_record`'s `prechecked`: the caller has read each
    household in the volunteer's reach, and no visit had the entry's id. Runs in the caller's
    transaction; a twin that lands meanwhile raises IntegrityError at the INSERT, and the
    caller runs the entries one by one (each then finds its twin: a resend)."""
    answers: list[Visit | ValidationError | None] = []
    plans: list[_VisitPlan] = []
    seen: set[UUID] = set()
    with activity_batch():
        for entry in entries:
            data, payload, digest = _visit_sent(household=entry.household, data=entry.data)
            if entry.client_id in seen or _payload_steps(payload):
                answers.append(None)
                continue
            seen.add(entry.client_id)
            try:
                plan = _visit_plan(
                    volunteer=volunteer,
                    household=entry.household,
                    client_id=entry.client_id,
                    data=data,
                    payload=payload,
                    digest=digest,
                )
                # The guards (a frozen period) decide now, before anything is written.
                activity_record(sender=SENDER, deltas=plan.deltas)
            except ValidationError as error:
                answers.append(error)
                continue
            plans.append(plan)
            answers.append(plan.visit)
        if plans:
            _visits_write(plans)
    return answers


def _visits_write(plans: list["_VisitPlan"]) -> None:
    """The planned visits' rows, their households' last visit (`visit_rows`) and their
    teammates (their activity is recorded already)."""
    visits_insert([plan.visit for plan in plans])
    through = Visit.teammates.through
    rows = [through(visit=plan.visit, user_id=pk) for plan in plans for pk in plan.teammates]
    if rows:
        through.objects.bulk_create(rows)


@dataclass(frozen=True)
class _VisitPlan:
    """A new visit checked by every rule and not yet written, with what it moves."""

    visit: Visit
    teammates: list[int]
    steps: list[str]
    deltas: list[ActivityDelta]


def _visit_plan(
    *,
    volunteer: User,
    household: Household,
    client_id: UUID,
    data: Mapping[str, Any],
    payload: dict,
    digest: str,
) -> _VisitPlan:
    """The visit's rules (ValidationError) and its row, unsaved: the one place a new visit is
    built, for `visit_record` and `visit_record_many` alike."""
    teammates = _visit_rules(volunteer=volunteer, household=household, payload=payload)
    device_time = data["device_time"]
    day = timezone.localdate(device_time)
    visit = Visit(
        client_uuid=client_id,
        fingerprint=digest,
        household=household,
        volunteer=volunteer,
        device_time=device_time,
        day=day,
        area=area_as_of(area=household.area, day=day),
        result=payload["result"],
        status_to=payload["status_to"],
        notes=payload["notes"],
        over_members_confirmed=payload["over_members_confirmed"],
        **{name: payload[name] for name in COUNT_FIELDS},
    )
    if visit.over_members_confirmed and visit.people_helped > household.members:
        visit.status = VisitStatus.PENDING_REVIEW  # unusual: a coordinator takes a look
    visit.full_clean(exclude=["client_uuid", "household", "volunteer", "area"])
    return _VisitPlan(
        visit=visit,
        teammates=teammates,
        steps=_payload_steps(payload),
        deltas=visit_deltas(visit, teammate_ids=teammates),
    )


def _visit_create(
    *,
    volunteer: User,
    household: Household,
    client_id: UUID,
    data: Mapping[str, Any],
    payload: dict,
    digest: str,
    prechecked: bool,
) -> tuple[Visit, bool]:
    if not prechecked:
        existing = Visit.objects.filter(client_uuid=client_id).first()
        if existing is not None:
            return _same_or_conflict(existing, digest)
        if not household_in_reach(user=volunteer, household=household):
            raise ValidationError(
                {"household": _("Hộ này không thuộc địa bàn được giao cho bạn.")}, code="scope"
            )
    plan = _visit_plan(
        volunteer=volunteer,
        household=household,
        client_id=client_id,
        data=data,
        payload=payload,
        digest=digest,
    )
    _visits_write([plan])  # the same writes as a batch's, for one
    _visit_steps_apply(visit=plan.visit, steps=plan.steps, user=volunteer)
    activity_record(sender=SENDER, deltas=plan.deltas)
    return plan.visit, True


def _visit_steps_apply(*, visit: Visit, steps: list[str], user: User) -> None:
    """Move the household through the visit's steps in chain order: a step already reached is
    a no-op, a step the chain does not allow yet is refused (ValidationError)."""
    for step in steps:
        household_status_advance(household=visit.household, to_status=step, user=user, visit=visit)
