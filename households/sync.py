"""The one endpoint the outbox talks to: a batch of items, each created once by its client id."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from volunteers.models import User

from .forms import HouseholdForm, SyncVisitForm
from .models import Visit
from .selectors import household_for_visit, household_groups_for, teammate_ids_for
from .services import Conflict, household_create, visit_record

MAX_ITEMS = 200
CREATED, DUPLICATE, CONFLICT, INVALID = "created", "duplicate", "conflict", "invalid"
CODES = {CREATED: 201, DUPLICATE: 200, CONFLICT: 409, INVALID: 400}


def _answer(item_id: str, kind: str, status: str, **extra: Any) -> dict:
    return {"id": item_id, "type": kind, "status": status, "code": CODES[status], **extra}


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def _household_item(user: User, item_id: UUID, data: dict) -> tuple[str, dict]:
    form = HouseholdForm(data=data, areas=household_groups_for(user=user))
    if not form.is_valid():
        return INVALID, {"errors": _form_errors(form)}
    cleaned = form.cleaned_data
    household, created = household_create(
        user=user,
        area=cleaned["area"],
        data=cleaned,
        client_id=item_id,
        consent=cleaned["consent"],
        confirm_duplicate=cleaned["confirm_duplicate"],
    )
    return (CREATED if created else DUPLICATE), {
        "server_id": household.pk,
        "url": household.get_absolute_url(),
    }


def _form_errors(form) -> dict[str, list[str]]:
    return {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }


def _visit_item(user: User, item_id: UUID, data: dict) -> tuple[str, dict]:
    # Teammates are looked up only when the item names some (most visits are one volunteer).
    choices = [(pk, str(pk)) for pk in teammate_ids_for(user=user)] if data.get("teammates") else []
    form = SyncVisitForm(data=data, teammate_choices=choices)
    if not form.is_valid():
        return INVALID, {"errors": _form_errors(form)}
    cleaned = form.cleaned_data
    # One query: the household with its area, the scope check in SQL, and whether a visit
    # already has this id (a resend). A household outside the user's reach is not found.
    household = household_for_visit(
        user=user,
        pk=cleaned.get("household"),
        client_uuid=cleaned.get("household_uuid"),
        visit_client_id=item_id,
    )
    if household is None:
        # A resend of a visit this volunteer already recorded, after the household left their
        # reach (an assignment ended): it is saved, so the phone may let it go.
        # The service answers it as any resend: the same payload, or a conflict.
        saved = Visit.objects.filter(client_uuid=item_id, volunteer=user).first()
        if saved is not None:
            visit, _created = visit_record(
                volunteer=user, household=saved.household, client_id=item_id, data=cleaned
            )
            return DUPLICATE, {"server_id": visit.pk, "url": saved.household.get_absolute_url()}
        message = _(
            "Không tìm thấy hộ này trong địa bàn của bạn (hộ mới tạo có thể chưa được gửi lên)."
        )
        return INVALID, {"errors": {"household": [message]}}
    visit, created = visit_record(
        volunteer=user,
        household=household,
        client_id=item_id,
        data=cleaned,
        prechecked=household.known_visit_id is None,
    )
    return (CREATED if created else DUPLICATE), {
        "server_id": visit.pk,
        "url": household.get_absolute_url(),
    }


HANDLERS = {"household": _household_item, "visit": _visit_item}


def sync_batch(*, user: User, items: Iterable[dict]) -> list[dict]:
    """Apply each item in its own transaction; households first, so that visits made offline
    can name a household made offline by its client id. Answers one result per item."""
    # Households first, then cut: a visit never arrives without the household it names in the
    # same batch. Items past the cut are answered nothing and stay waiting on the phone.
    items = [item if isinstance(item, dict) else {} for item in items]
    ordered = sorted(items, key=lambda item: item.get("type") != "household")[:MAX_ITEMS]
    results = []
    for item in ordered:
        raw_id, kind = str(item.get("id", "")), item.get("type")
        try:
            item_id = UUID(raw_id)
        except ValueError:
            results.append(
                _answer(raw_id, str(kind), INVALID, errors={"id": [_("Mã không hợp lệ.")]})
            )
            continue
        handler = HANDLERS.get(kind)
        data = item.get("data")
        if handler is None or not isinstance(data, dict):
            message = _("Loại bản ghi không hợp lệ.")
            results.append(_answer(raw_id, str(kind), INVALID, errors={"type": [message]}))
            continue
        try:
            # Each service call is its own transaction: one bad item never undoes the others.
            status, extra = handler(user, item_id, data)
        except Conflict as conflict:
            status, extra = CONFLICT, {"errors": {"__all__": [str(conflict)]}}
        except ValidationError as error:
            status, extra = INVALID, {"errors": _errors(error)}
        results.append(_answer(raw_id, kind, status, **extra))
    return results
