"""The households' items of the one sync protocol (core.sync): a household made on the phone,
and a visit. Each is created once by its client id; the protocol reads, orders and isolates.

A visit names its household by server id, or by the client id of a household made offline
(`household_uuid`): the protocol applies that household first when both are in one batch."""

from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _

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

from .forms import HouseholdForm, SyncVisitForm
from .models import Visit
from .selectors import household_for_visit, household_groups_for, teammate_ids_for
from .services import Conflict, household_create, visit_record


def _household_item(user: User, item_id: UUID, data: dict[str, Any]) -> Outcome:
    form = HouseholdForm(data=data, areas=household_groups_for(user=user))
    if not form.is_valid():
        return INVALID, {"errors": form_errors(form)}
    cleaned = form.cleaned_data
    try:
        household, created = household_create(
            user=user,
            area=cleaned["area"],
            data=cleaned,
            client_id=item_id,
            consent=cleaned["consent"],
            consent_method=cleaned["consent_method"],
            confirm_duplicate=cleaned["confirm_duplicate"],
        )
    except Conflict as conflict:
        return CONFLICT, {"errors": {"__all__": [str(conflict)]}}
    return (CREATED if created else DUPLICATE), {
        "server_id": household.pk,
        "url": household.get_absolute_url(),
    }


def _visit_item(user: User, item_id: UUID, data: dict[str, Any]) -> Outcome:
    # Teammates are looked up only when the item names some (most visits are one volunteer).
    choices = [(pk, str(pk)) for pk in teammate_ids_for(user=user)] if data.get("teammates") else []
    form = SyncVisitForm(data=data, teammate_choices=choices)
    if not form.is_valid():
        return INVALID, {"errors": form_errors(form)}
    cleaned = form.cleaned_data
    # One query: the household with its area, the scope check in SQL, and whether a visit
    # already has this id (a resend). A household outside the user's reach is not found.
    household = household_for_visit(
        user=user,
        pk=cleaned.get("household"),
        client_uuid=cleaned.get("household_uuid"),
        visit_client_id=item_id,
    )
    try:
        if household is None:
            return _visit_out_of_reach(user, item_id, cleaned)
        # The protocol's savepoint is this item's transaction: the service opens none of its
        # own (two statements fewer on the hot path); a race goes up to the protocol's retry.
        visit, created = visit_record(
            volunteer=user,
            household=household,
            client_id=item_id,
            data=cleaned,
            prechecked=household.known_visit_id is None,
            savepoint=False,
        )
    except Conflict as conflict:
        return CONFLICT, {"errors": {"__all__": [str(conflict)]}}
    return (CREATED if created else DUPLICATE), {
        "server_id": visit.pk,
        "url": household.get_absolute_url(),
    }


def _visit_out_of_reach(user: User, item_id: UUID, cleaned: dict[str, Any]) -> Outcome:
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


DOOR = SyncDoor(
    ItemType("household", _household_item),
    ItemType("visit", _visit_item, depends_on=Dependency("household", "household_uuid")),
)
