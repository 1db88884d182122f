"""Retention of the households' personal data: what expires, and how it is removed.

Each rule gives the rows that are due (`*_due`) and removes what is personal in them
(`*_expire`); workspace.retention runs them all, nightly or from `manage.py retention_apply`.
Removing never moves a total: visits stay with their counts, a household stays as a count in its
group with its address (what the door-to-door work needs), only the contact and free text go."""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from core.text import search_key

from ..models import ContactView, Household, PrivacyRequest, PrivacyRequestKind, Visit
from .privacy import redact_history, redact_visit_edits

CONTACT_FIELDS = {"contact_name", "contact_phone", "notes"}
BATCH = 500


def contacts_due(*, cutoff: datetime.datetime) -> QuerySet[Household]:
    """Households with a contact (or notes) and no counted visit since `cutoff`."""
    quiet = Q(last_visit_at__lt=cutoff) | Q(last_visit_at__isnull=True, created_at__lt=cutoff)
    personal = ~Q(contact_name="") | ~Q(contact_phone="") | ~Q(notes="")
    return Household.objects.filter(quiet & personal)


@transaction.atomic
def contacts_expire(*, cutoff: datetime.datetime) -> int:
    """Erase the contact, the consent and the notes of the households due, and their values in
    the history; each erasure is recorded as a PrivacyRequest of kind "retention"."""
    done = 0
    while ids := list(contacts_due(cutoff=cutoff).values_list("pk", flat=True)[:BATCH]):
        households = list(Household.objects.select_for_update().filter(pk__in=ids))
        for household in households:
            household.contact_name = household.contact_phone = household.notes = ""
            household.consent_at = household.consent_by = None
            household.consent_method = household.fingerprint = ""
            household.search_key = search_key(household.address)
        Household.objects.bulk_update(
            households,
            [
                "contact_name",
                "contact_phone",
                "notes",
                "consent_at",
                "consent_by",
                "consent_method",
                "fingerprint",
                "search_key",
            ],
        )
        redact_history(household_ids=ids, fields=CONTACT_FIELDS)
        PrivacyRequest.objects.bulk_create(
            PrivacyRequest(household_id=pk, kind=PrivacyRequestKind.RETENTION) for pk in ids
        )
        done += len(ids)
    return done


def visit_notes_due(*, cutoff: datetime.datetime) -> QuerySet[Visit]:
    return Visit.objects.filter(device_time__lt=cutoff).exclude(notes="")


@transaction.atomic
def visit_notes_expire(*, cutoff: datetime.datetime) -> int:
    """Clear the free-text notes of visits older than `cutoff` (and in their edit history)."""
    due = visit_notes_due(cutoff=cutoff)
    redact_visit_edits(visits=due)
    return due.update(notes="")


def contact_views_due(*, cutoff: datetime.datetime) -> QuerySet[ContactView]:
    return ContactView.objects.filter(viewed_at__lt=cutoff)


def contact_views_expire(*, cutoff: datetime.datetime) -> int:
    deleted, _by_model = contact_views_due(cutoff=cutoff).delete()
    return deleted
