"""The trainings' items of the one sync protocol (core.sync): sessions planned and reported
offline. Each item is applied once by its client id; photos travel only with the online form.
The protocol applies a plan before a report that names it, wherever they sit in the batch.

Once-only for reports (a report changes a session rather than creating a row): a report whose
session is already reported with the same count is a duplicate and writes nothing; one whose
session was reported again (with another count) after the phone saved it is a conflict, kept on
the phone for the volunteer to look at, never written over the newer report."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.forms import errors_to_form
from core.sync import (
    CONFLICT,
    CREATED,
    DUPLICATE,
    INVALID,
    Dependency,
    ItemType,
    Outcome,
    SyncDoor,
    form_errors,
)
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

PLAN, REPORT = "training_plan", "training_report"


def _plan_item(user: User, item_id: UUID, data: dict[str, Any]) -> Outcome:
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
        return INVALID, {"errors": form_errors(form)}
    try:
        session = session_plan(user=user, client_uuid=item_id, **form.session_fields())
    except ValidationError as error:
        # Under the phone form's own fields (its day and clock times), as the page shows them.
        errors_to_form(form, error, start_field="day", end_field="end_time")
        return INVALID, {"errors": form_errors(form)}
    return CREATED, {"server_id": session.pk, "url": session.get_absolute_url()}


def _report_item(user: User, item_id: UUID, data: dict[str, Any]) -> Outcome:
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
        return INVALID, {"errors": form_errors(form)}
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


def _same_report(session: TrainingSession, cleaned: dict[str, Any]) -> bool:
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


def _device_time(data: dict[str, Any]) -> datetime | None:
    """When the phone saved the item (an aware datetime), if it said so."""
    try:
        moment = parse_datetime(str(data.get("device_time") or ""))
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


DOOR = SyncDoor(
    ItemType(PLAN, _plan_item),
    ItemType(REPORT, _report_item, depends_on=Dependency(PLAN, "session_uuid")),
)
