"""Correcting a visit within its window: the tallies move by the difference, the history
keeps what changed."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import activity_record
from volunteers.models import User

from ..models import COUNT_FIELDS, Visit, VisitEdit, VisitStatus
from .common import EDIT_WINDOW, SENDER, VISIT_EDITABLE
from .visit_counting import visit_deltas
from .visits import _visit_payload, _visit_rules


def visit_can_edit(*, visit: Visit, user: User) -> bool:
    """The author, or a team leader of the area, within the edit window, while it counts."""
    if not visit.counted:
        return False
    if timezone.now() - visit.received_at > EDIT_WINDOW:
        return False
    if visit.volunteer_id == user.pk:
        return True
    from volunteers.models import Role
    from volunteers.scoping import scope_for

    return scope_for(user=user, roles=[Role.TEAM_LEADER]).contains(visit.household.area)


@transaction.atomic
def visit_edit(*, visit: Visit, editor: User, data: Mapping[str, Any]) -> Visit:
    """Correct a visit within the window; the tallies move by the difference, history kept."""
    visit = Visit.objects.select_for_update().select_related("household").get(pk=visit.pk)
    if not visit_can_edit(visit=visit, user=editor):
        raise ValidationError(
            _("Chỉ sửa được lượt thăm của mình trong vòng 24 giờ sau khi gửi."), code="window"
        )
    payload = _visit_payload(
        household=visit.household, data={**data, "device_time": visit.device_time}
    )
    was_with = sorted(visit.teammates.values_list("pk", flat=True))
    teammates = _visit_rules(
        volunteer=visit.volunteer,
        household=visit.household,
        payload=payload,
        kept_teammates=was_with,
    )
    before = visit_deltas(visit, sign=-1, teammate_ids=was_with)
    changes = {}
    for name in VISIT_EDITABLE:
        if getattr(visit, name) != payload[name]:
            changes[name] = [getattr(visit, name), payload[name]]
            setattr(visit, name, payload[name])
    if sorted(teammates) != was_with:
        changes["teammates"] = [was_with, sorted(teammates)]
    if not changes:
        return visit
    if _raised_past_members(visit, changes):
        # As when such a visit is first logged: a coordinator takes a look. Editing the counts
        # up afterwards must not be the way around the review.
        changes["status"] = [visit.status, VisitStatus.PENDING_REVIEW]
        visit.status = VisitStatus.PENDING_REVIEW
    visit.full_clean(exclude=["client_uuid", "household", "volunteer", "area"])
    visit.save()
    if "teammates" in changes:
        visit.teammates.set(teammates)
    VisitEdit.objects.create(visit=visit, edited_by=editor, changes=changes)
    # Counts and presences move by the difference (a teammate added or dropped included).
    after = visit_deltas(visit, teammate_ids=teammates)
    activity_record(sender=SENDER, deltas=[*before, *after])
    return visit


def _raised_past_members(visit: Visit, changes: dict) -> bool:
    counts_moved = any(name in changes for name in (*COUNT_FIELDS, "over_members_confirmed"))
    return (
        counts_moved
        and visit.status == VisitStatus.OK
        and visit.over_members_confirmed
        and visit.people_helped > visit.household.members
    )
