"""The households' items of the one sync protocol (core.sync): a household made on the phone,
and a visit. Each is created once by its client id; the protocol reads, orders and isolates.

A visit names its household by server id, or by the client id of a household made offline
(`household_uuid`): the protocol applies that household first when both are in one batch.

A batch's visits share one read (`_visits_prepare`): their households, in the volunteer's reach,
and which of them are resends. Each visit is still checked and answered on its own, through
the same form and rules as a single one; the new ones are written together
(`_visits_many`, through `services.visit_record_many`)."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sync import (
    CONFLICT,
    CREATED,
    DUPLICATE,
    INVALID,
    Dependency,
    Item,
    ItemType,
    Outcome,
    SyncDoor,
    errors_of,
    form_errors,
)
from volunteers.models import User

from .forms import HouseholdForm, SyncVisitForm
from .models import Household, Visit
from .selectors import (
    VisitTargets,
    household_for_visit,
    household_groups_for,
    teammate_ids_for,
    visit_targets_for,
)
from .services import (
    Conflict,
    VisitEntry,
    household_create,
    visit_record,
    visit_record_many,
)


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


def _visits_prepare(user: User, items: list[Item]) -> VisitTargets | None:
    """The households the batch's visits name and its resends, read once (see the module)."""
    pks: set[int] = set()
    client_uuids: set[UUID] = set()
    for item in items:
        pk, client_uuid = _named_household(item.data)
        if pk:
            pks.add(pk)
        elif client_uuid:
            client_uuids.add(client_uuid)
    return visit_targets_for(
        user=user,
        pks=pks,
        client_uuids=client_uuids,
        visit_client_ids={item.uuid for item in items},
    )


def _named_household(data: dict[str, Any]) -> tuple[int | None, UUID | None]:
    """The household as the form will read it, when it reads plainly (anything else is left to
    the form and the lookup of its own item)."""
    value = data.get("household")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value, None
    try:
        return None, UUID(str(data.get("household_uuid") or ""))
    except ValueError:
        return None, None


def _visit_target(
    user: User, item_id: UUID, cleaned: dict[str, Any], prepared: VisitTargets | None
) -> tuple[Household | None, int | None]:
    """(the household in the user's reach, the visit already recorded under `item_id`)."""
    pk, client_uuid = cleaned.get("household"), cleaned.get("household_uuid")
    if prepared is not None and prepared.covers(pk=pk, client_uuid=client_uuid):
        return prepared.household(pk=pk, client_uuid=client_uuid), prepared.known_visits.get(
            item_id
        )
    # One query: the household with its area, the scope check in SQL, whether a visit
    # already has this id (a resend), and whether a frozen period meets the visit's day (the
    # period-lock guard then asks nothing). A household outside the user's reach is not found.
    day = timezone.localdate(cleaned.get("device_time") or timezone.now())
    household = household_for_visit(
        user=user, pk=pk, client_uuid=client_uuid, visit_client_id=item_id, day=day
    )
    return household, (household.known_visit_id if household is not None else None)


def _visit_form(user: User, data: dict[str, Any]) -> SyncVisitForm:
    # Teammates are looked up only when the item names some (most visits are one volunteer).
    choices = [(pk, str(pk)) for pk in teammate_ids_for(user=user)] if data.get("teammates") else []
    return SyncVisitForm(data=data, teammate_choices=choices)


def _visit_item(
    user: User, item_id: UUID, data: dict[str, Any], prepared: VisitTargets | None = None
) -> Outcome:
    form = _visit_form(user, data)
    if not form.is_valid():
        return INVALID, {"errors": form_errors(form)}
    cleaned = form.cleaned_data
    household, known_visit_id = _visit_target(user, item_id, cleaned, prepared)
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
            prechecked=known_visit_id is None,
            savepoint=False,
        )
    except Conflict as conflict:
        return CONFLICT, {"errors": {"__all__": [str(conflict)]}}
    return (CREATED if created else DUPLICATE), {
        "server_id": visit.pk,
        "url": household.get_absolute_url(),
    }


def _visits_many(
    user: User, items: list[Item], prepared: VisitTargets | None = None
) -> dict[int, Outcome]:
    """A run of the batch's visits: each read by its form, and the new ones in the batch's
    read (in reach, not a resend) recorded together. Those left out (a resend, a household
    read on its own, a visit moving steps) are answered by `_visit_item`, one by one."""
    if prepared is None:
        return {}
    decided: dict[int, Outcome] = {}
    entries: list[tuple[Item, VisitEntry]] = []
    for item in items:
        form = _visit_form(user, item.data)
        if not form.is_valid():
            decided[item.position] = INVALID, {"errors": form_errors(form)}
            continue
        cleaned = form.cleaned_data
        pk, client_uuid = cleaned.get("household"), cleaned.get("household_uuid")
        if not prepared.covers(pk=pk, client_uuid=client_uuid) or item.uuid in (
            prepared.known_visits
        ):
            continue
        household = prepared.household(pk=pk, client_uuid=client_uuid)
        if household is None:
            continue  # out of reach: perhaps a resend of a visit from before (_visit_item)
        entries.append((item, VisitEntry(household=household, client_id=item.uuid, data=cleaned)))
    recorded = visit_record_many(volunteer=user, entries=[entry for _item, entry in entries])
    for (item, entry), result in zip(entries, recorded, strict=True):
        if isinstance(result, Visit):
            url = entry.household.get_absolute_url()
            decided[item.position] = CREATED, {"server_id": result.pk, "url": url}
        elif isinstance(result, ValidationError):
            decided[item.position] = INVALID, {"errors": errors_of(result)}
    return decided


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
    ItemType(
        "visit",
        _visit_item,
        depends_on=Dependency("household", "household_uuid"),
        prepare=_visits_prepare,
        handle_many=_visits_many,
    ),
)
