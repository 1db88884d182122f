"""A household's requests about its own data: a copy recorded, and erasure.

Erasure removes the contact, the address typed for it and every free text (its notes, its
visits' notes, and the old values in its history), and keeps the household as an anonymous
count in its group: its members, its digital status and its visits stay, so no total moves.
The request itself is recorded; it holds no personal data."""

from django.db import transaction

from volunteers.models import User

from ..models import (
    Household,
    HouseholdChange,
    PrivacyRequest,
    PrivacyRequestKind,
    Visit,
    VisitEdit,
)
from .common import _scope_check

# Fields whose values are about the people, removed on erasure (here and in the history).
PERSONAL_FIELDS = (
    "house_number",
    "alley",
    "street",
    "apartment",
    "contact_name",
    "contact_phone",
    "notes",
)
_HISTORY_PERSONAL = {*PERSONAL_FIELDS, "created"}
ERASED = "—"


def household_data_export_record(*, user: User, household: Household) -> PrivacyRequest:
    """The household was given a copy of its data: recorded, who and when."""
    _scope_check(user=user, area=household.area)
    return PrivacyRequest.objects.create(
        household=household, kind=PrivacyRequestKind.EXPORT, handled_by=user
    )


def _redacted(changes: dict, personal: set[str]) -> dict:
    return {
        name: ([ERASED, ERASED] if isinstance(value, list) else ERASED)
        if name in personal
        else value
        for name, value in changes.items()
    }


@transaction.atomic
def household_erase(*, user: User, household: Household) -> PrivacyRequest:
    """Erase what identifies a household, keep it as an anonymous count, record the request."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _scope_check(user=user, area=household.area)
    Household.objects.filter(pk=household.pk).update(
        **dict.fromkeys(PERSONAL_FIELDS, ""),
        consent_at=None,
        consent_by=None,
        fingerprint="",
        address_key="",
        search_key="",
        updated_by=user,
    )
    Visit.objects.filter(household=household).update(notes="")
    for change in HouseholdChange.objects.filter(household=household):
        change.changes = _redacted(change.changes, _HISTORY_PERSONAL)
        change.save(update_fields=["changes"])
    for edit in VisitEdit.objects.filter(visit__household=household, changes__has_key="notes"):
        edit.changes = _redacted(edit.changes, {"notes"})
        edit.save(update_fields=["changes"])
    return PrivacyRequest.objects.create(
        household=household, kind=PrivacyRequestKind.ERASURE, handled_by=user
    )
