"""The outbox's door for trainings: the same batch protocol as households/sync.py
({"items": [{"type", "id", "data"}]} -> {"results": [...]}), for sessions planned and reported
offline. Each item is applied once by its client id; photos travel only with the online form.

Once-only for reports (a report changes a session rather than creating a row): a report whose
session is already reported with the same count is a duplicate and writes nothing; one whose
session was reported again (with another count) after the phone saved it is a conflict, kept on
the phone for the volunteer to look at, never written over the newer report."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from volunteers.models import User

from .forms import ReportForm, SessionForm
from .models import SessionState, TrainingSession
from .selectors import (
    planning_areas_for,
    session_can_edit,
    session_list_for,
    topics_for_user,
    trainer_choices_for,
)
from .services import session_plan, session_report

MAX_ITEMS = 100
CREATED, DUPLICATE, CONFLICT, INVALID = "created", "duplicate", "conflict", "invalid"
CODES = {CREATED: 201, DUPLICATE: 200, CONFLICT: 409, INVALID: 400}
PLAN, REPORT = "training_plan", "training_report"


def _answer(item_id: str, kind: str, status: str, **extra: Any) -> dict:
    return {"id": item_id, "type": kind, "status": status, "code": CODES[status], **extra}


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def _plan_item(user: User, item_id: UUID, data: dict) -> tuple[str, dict]:
    existing = TrainingSession.objects.filter(client_uuid=item_id, created_by=user).first()
    if existing is not None:
        return DUPLICATE, {"server_id": existing.pk, "url": existing.get_absolute_url()}
    form = SessionForm(
        data={**data, "client_uuid": str(item_id)},
        areas=planning_areas_for(user=user),
        topics=topics_for_user(user=user),
        trainers=trainer_choices_for(user=user),
    )
    if not form.is_valid():
        return INVALID, {"errors": _form_errors(form)}
    cleaned = form.cleaned_data
    session = session_plan(
        user=user,
        client_uuid=item_id,
        area=cleaned["area"],
        start=cleaned["start"],
        end=cleaned["end"],
        topics=list(cleaned["topics"]),
        trainers=list(cleaned["trainers"]),
        address=cleaned["address"],
        audience=cleaned["audience"],
        title=cleaned["title"],
        notes=cleaned["notes"],
    )
    return CREATED, {"server_id": session.pk, "url": session.get_absolute_url()}


def _report_item(user: User, item_id: UUID, data: dict) -> tuple[str, dict]:
    sessions = session_list_for(user=user)
    raw = str(data.get("session_uuid") or "")
    try:
        session = sessions.filter(client_uuid=UUID(raw)).first() if raw else None
    except ValueError:
        session = None
    if session is None and str(data.get("session") or "").isdigit():
        session = sessions.filter(pk=int(data["session"])).first()
    if session is None or not session_can_edit(user=user, session=session):
        message = _("Không tìm thấy lớp học này (lớp mới lên kế hoạch có thể chưa được gửi lên).")
        return INVALID, {"errors": {"session": [message]}}
    form = ReportForm(data=data)
    if not form.is_valid():
        return INVALID, {"errors": _form_errors(form)}
    cleaned = form.cleaned_data
    url = {"server_id": session.pk, "url": session.get_absolute_url()}
    if session.state == SessionState.REPORTED:
        if session.report_client_uuid == item_id or _same_report(session, cleaned):
            return DUPLICATE, url  # the same report again: nothing is written
        saved_at = _device_time(data)
        if saved_at is not None and session.reported_at and session.reported_at >= saved_at:
            message = _(
                "Lớp này đã được báo cáo lại (%(count)d người) sau khi bạn ghi báo cáo này trên "
                "máy; báo cáo mới hơn được giữ. Hãy xem lại rồi bỏ mục này hoặc sửa báo cáo."
            ) % {"count": session.attendee_count}
            return CONFLICT, {**url, "errors": {"__all__": [message]}}
    session_report(
        user=user,
        session=session,
        attendee_count=cleaned["attendee_count"],
        attendees=cleaned["attendees"],
        attendees_consent=cleaned["attendees_consent"],
        notes=cleaned["notes"] or None,
    )
    TrainingSession.objects.filter(pk=session.pk).update(report_client_uuid=item_id)
    return CREATED, url


def _same_report(session: TrainingSession, cleaned: dict) -> bool:
    """The report says nothing the session does not say already (a resend): the same count,
    and the same list and notes where it gives them. Any difference is a correction."""
    if session.attendee_count != cleaned["attendee_count"]:
        return False
    listed = [(person.name, person.phone, person.age_group) for person in cleaned["attendees"]]
    stored = list(session.attendees.order_by("pk").values_list("name", "phone", "age_group"))
    if listed and listed != stored:
        return False
    notes = (cleaned["notes"] or "").strip()
    return not notes or notes == session.notes


def _device_time(data: dict):
    """When the phone saved the item (an aware datetime), if it said so."""
    try:
        moment = parse_datetime(str(data.get("device_time") or ""))
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


HANDLERS = {PLAN: _plan_item, REPORT: _report_item}


def sync_batch(*, user: User, items: Iterable[dict]) -> list[dict]:
    """Each item in its own transaction; plans first, so a report can name a session planned
    offline in the same batch by its client id."""
    items = list(items)[:MAX_ITEMS]
    ordered = sorted(items, key=lambda item: item.get("type") != PLAN)
    results = []
    for item in ordered:
        raw_id, kind = str(item.get("id", "")), str(item.get("type"))
        try:
            item_id = UUID(raw_id)
        except ValueError:
            results.append(_answer(raw_id, kind, INVALID, errors={"id": [_("Mã không hợp lệ.")]}))
            continue
        handler, data = HANDLERS.get(kind), item.get("data")
        if handler is None or not isinstance(data, dict):
            message = _("Loại bản ghi không hợp lệ.")
            results.append(_answer(raw_id, kind, INVALID, errors={"type": [message]}))
            continue
        try:
            with transaction.atomic():
                status, extra = handler(user, item_id, data)
        except ValidationError as error:
            status, extra = INVALID, {"errors": _errors(error)}
        results.append(_answer(raw_id, kind, status, **extra))
    return results
