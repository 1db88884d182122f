"""Writes of households: created once by client id, edited, their digital status moved."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.text import search_key, text_nfc
from volunteers.models import User

from ..addresses import walk_key
from ..models import (
    STATUS_CHAIN,
    ConsentMethod,
    DigitalStatus,
    Household,
    HouseholdChange,
    StatusChange,
    Visit,
    status_rank,
)
from .common import HOUSEHOLD_FIELDS, _same_or_conflict, _scope_check, address_key, fingerprint


# --- Households ------------------------------------------------------------------------------
def _household_payload(*, area: Area, data: Mapping[str, Any]) -> dict:
    # Typed text stored composed (NFC): "Định Công" typed with decomposed accents is one street.
    return {
        "area": area.pk,
        **{
            name: _nfc(data.get(name) or ("" if name != "members" else 1))
            for name in HOUSEHOLD_FIELDS
        },
    }


def _nfc(value: Any) -> Any:
    return text_nfc(value) if isinstance(value, str) else value


def household_likely_duplicates(*, area: Area, data: Mapping[str, Any]) -> list[Household]:
    key = address_key(**{name: data.get(name, "") or "" for name in HOUSEHOLD_FIELDS[:4]})
    return list(Household.objects.filter(area=area, address_key=key)[:3])


@transaction.atomic
def household_create(
    *,
    user: User,
    area: Area,
    data: Mapping[str, Any],
    client_id: UUID | None = None,
    consent: bool = False,
    consent_method: str = ConsentMethod.IN_PERSON,
    confirm_duplicate: bool = False,
) -> tuple[Household, bool]:
    """Create a household once per client id. Returns (household, created)."""
    payload = _household_payload(area=area, data=data)
    digest = fingerprint(payload)
    if client_id is not None:
        existing = Household.objects.filter(client_uuid=client_id).first()
        if existing is not None:
            return _same_or_conflict(existing, digest)
    _scope_check(user=user, area=area)
    if not confirm_duplicate and household_likely_duplicates(area=area, data=data):
        raise ValidationError(
            {
                "confirm_duplicate": _(
                    "Đã có một hộ cùng địa chỉ trong tổ này. Kiểm tra lại, hoặc đánh dấu "
                    "“vẫn thêm” nếu đây là một hộ khác."
                )
            },
            code="duplicate",
        )
    household = Household(
        area=area, client_uuid=client_id, fingerprint=digest, created_by=user, updated_by=user
    )
    for name in HOUSEHOLD_FIELDS:
        setattr(household, name, payload[name])
    if household.contact_name or household.contact_phone:
        if not consent:
            raise ValidationError(
                {"consent": _("Chỉ lưu tên và số điện thoại khi hộ đồng ý.")}, code="consent"
            )
        household.consent_at, household.consent_by = timezone.now(), user
        household.consent_method = consent_method
    _household_keys(household)
    household.full_clean(exclude=["client_uuid"])
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        if client_id is None:
            raise
        return _same_or_conflict(Household.objects.get(client_uuid=client_id), digest)
    HouseholdChange.objects.create(
        household=household, changed_by=user, changes={"created": [None, household.address]}
    )
    return household, True


def _household_keys(household: Household) -> None:
    household.address_key = address_key(
        house_number=household.house_number,
        alley=household.alley,
        street=household.street,
        apartment=household.apartment,
    )
    household.search_key = search_key(
        " ".join([household.address, household.contact_name, household.contact_phone])
    )
    household.walk_key = walk_key(
        house_number=household.house_number,
        alley=household.alley,
        street=household.street,
        apartment=household.apartment,
    )


@transaction.atomic
def household_update(
    *,
    household: Household,
    user: User,
    data: Mapping[str, Any],
    consent: bool,
    consent_method: str = ConsentMethod.IN_PERSON,
) -> Household:
    """Change a household's details; withdrawing consent erases the contact details."""
    _scope_check(user=user, area=household.area)
    changes: dict[str, list] = {}
    for name in HOUSEHOLD_FIELDS:
        new = data.get(name, getattr(household, name))
        new = _nfc(new) if new is not None else ""
        if not consent and name in ("contact_name", "contact_phone"):
            new = ""
        if getattr(household, name) != new:
            changes[name] = [getattr(household, name), new]
            setattr(household, name, new)
    if household.contact_name or household.contact_phone:
        if household.consent_at is None:
            household.consent_at, household.consent_by = timezone.now(), user
            household.consent_method = consent_method
    else:
        household.consent_at = household.consent_by = None
        household.consent_method = ""
    if not changes:
        return household
    household.updated_by = user
    _household_keys(household)
    household.full_clean(exclude=["client_uuid"])
    household.save()
    HouseholdChange.objects.create(household=household, changed_by=user, changes=changes)
    return household


def household_status_advance(
    *, household: Household, to_status: str, user: User, visit: Visit | None = None
) -> bool:
    """Move the status one step forward. A step already reached is a no-op (False); a skipped
    step is refused. Call inside a transaction: the household row is locked."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    current, target = status_rank(household.digital_status), status_rank(to_status)
    if target <= current:
        return False
    if target > current + 1:
        if to_status == DigitalStatus.LEVEL2_ACTIVATED:
            message = _("Chỉ kích hoạt mức 2 được sau khi người dân đã đăng ký mức 2 tại công an.")
        else:
            message = _(
                "Không thể chuyển từ “%(current)s” sang “%(target)s”: cần qua bước “%(step)s” "
                "trước."
            ) % {
                "current": DigitalStatus(household.digital_status).label,
                "target": DigitalStatus(to_status).label,
                "step": household.get_next_status_display(),
            }
        raise ValidationError({"status_to": message}, code="status_skip")
    StatusChange.objects.create(
        household=household,
        from_status=household.digital_status,
        to_status=to_status,
        visit=visit,
        changed_by=user,
    )
    Household.objects.filter(pk=household.pk).update(digital_status=to_status, updated_by=user)
    return True


def household_status_step_back(*, visit: Visit, user: User) -> bool:
    """Undo the steps a visit made (rejected or withdrawn), those still at the end of the
    household's chain, newest first (the history keeps every move). A step that a later visit
    built on stays: that visit is its own evidence. Call inside a transaction: the household
    row is locked."""
    household = Household.objects.select_for_update().get(pk=visit.household_id)
    undone = _visit_steps_at_the_end(household=household, visit=visit)
    if not undone:
        return False
    StatusChange.objects.bulk_create(
        StatusChange(
            household=household,
            from_status=change.to_status,
            to_status=change.from_status,
            visit=visit,
            changed_by=user,
        )
        for change in undone
    )
    back_to = undone[-1].from_status
    Household.objects.filter(pk=household.pk).update(digital_status=back_to, updated_by=user)
    household.digital_status = back_to
    return True


def _visit_steps_at_the_end(*, household: Household, visit: Visit) -> list[StatusChange]:
    """The forward moves `visit` made that are the household's latest moves, newest first,
    stopping at one another counted visit vouches for."""
    recent = household.status_changes.order_by("-pk")[: len(STATUS_CHAIN)]
    status, undone = household.digital_status, []
    for change in recent:
        forward = status_rank(change.from_status) < status_rank(change.to_status)
        if change.visit_id != visit.pk or change.to_status != status or not forward:
            break
        if _step_vouched(household=household, step=change.to_status, besides=visit):
            break
        undone.append(change)
        status = change.from_status
    return undone


def _step_vouched(*, household: Household, step: str, besides: Visit) -> bool:
    """Another counted visit reported this step or one past it (it arrived after the household
    had reached it, so it made no move of its own): evidence enough, the step stays."""
    return (
        Visit.objects.counted()
        .filter(household_id=household.pk, status_to__in=STATUS_CHAIN[status_rank(step) :])
        .exclude(pk=besides.pk)
        .exists()
    )


def household_last_visit_refresh(*, household_id: int) -> None:
    """Recompute last_visit_at from the counted visits (after a rejection, for example)."""
    latest = (
        Visit.objects.counted()
        .filter(household_id=household_id)
        .order_by("-device_time")
        .values_list("device_time", flat=True)
        .first()
    )
    Household.objects.filter(pk=household_id).update(last_visit_at=latest)
