"""A household's requests about its own data: a copy recorded, and erasure.

Erasure removes the contact, the address typed for it and every free text (its notes, its
visits' notes, and the old values in its history), and keeps the household as an anonymous
count in its group: its members, its digital status and its visits stay, so no total moves.
The request itself is recorded; it holds no personal data."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from areas.models import Area
from volunteers.models import User

from ..models import (
    ContactDoor,
    ContactView,
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


def redact_history(*, household_ids: Iterable[int], fields: set[str]) -> None:
    """Replace the old and new values of `fields` in these households' change history."""
    changes = HouseholdChange.objects.filter(household_id__in=household_ids)
    for change in changes.iterator(chunk_size=500):
        if fields & change.changes.keys():
            change.changes = _redacted(change.changes, fields)
            change.save(update_fields=["changes"])


def redact_visit_edits(*, visits: QuerySet[Visit]) -> None:
    """Remove the notes from the edit history of these visits (a queryset)."""
    edits = VisitEdit.objects.filter(visit__in=visits, changes__has_key="notes")
    for edit in edits.iterator(chunk_size=500):
        edit.changes = _redacted(edit.changes, {"notes"})
        edit.save(update_fields=["changes"])


def contact_view_record(*, user: User, household: Household, door: str) -> None:
    """The household's contact was shown to `user`: one INSERT, and only if it has a contact
    (nothing is read: the household in hand says whether it has one)."""
    if household.contact_name or household.contact_phone:
        ContactView.objects.create(household=household, viewer=user, door=door)


def contact_export_record(*, user: User, ward: Area, count: int) -> None:
    """A list of the ward's households (with their contacts) was downloaded: one row."""
    ContactView.objects.create(ward=ward, viewer=user, door=ContactDoor.WARD_EXPORT, count=count)


@transaction.atomic
def household_erase(*, user: User, household: Household) -> PrivacyRequest:
    """Erase what identifies a household, keep it as an anonymous count, record the request."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _scope_check(user=user, area=household.area)
    Household.objects.filter(pk=household.pk).update(
        **dict.fromkeys(PERSONAL_FIELDS, ""),
        consent_at=None,
        consent_by=None,
        consent_method="",
        fingerprint="",
        address_key="",
        search_key="",
        walk_key="",
        updated_by=user,
    )
    Visit.objects.filter(household=household).update(notes="")
    redact_history(household_ids=[household.pk], fields=_HISTORY_PERSONAL)
    redact_visit_edits(visits=Visit.objects.filter(household=household))
    return PrivacyRequest.objects.create(
        household=household, kind=PrivacyRequestKind.ERASURE, handled_by=user
    )
