"""A logged visit leaving or rejoining the count: a coordinator's review, its author's
withdrawal. Each moves every tally by exactly what the visit added, and its steps with it."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import activity_record
from volunteers.models import User

from ..models import (
    Visit,
    VisitEdit,
    VisitStatus,
    status_rank,
)
from .common import (
    EDIT_WINDOW,
    SENDER,
)
from .households import (
    household_last_visit_refresh,
    household_status_step_back,
)

# --- Visits ----------------------------------------------------------------------------------
from .visit_counting import visit_deltas
from .visits import _visit_steps_apply, visit_steps_of


@transaction.atomic
def visit_review(*, visit: Visit, reviewer: User, approve: bool) -> Visit:
    """A coordinator's decision on a visit: rejecting it takes it out of every tally."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == VisitStatus.WITHDRAWN:
        raise ValidationError(_("Lượt thăm này đã được người ghi rút lại."), code="withdrawn")
    new_status = VisitStatus.OK if approve else VisitStatus.REJECTED
    if visit.status == new_status:
        return visit
    was_counted = visit.counted
    VisitEdit.objects.create(
        visit=visit, edited_by=reviewer, changes={"status": [visit.status, new_status]}
    )
    visit.status = new_status
    visit.save(update_fields=["status", "updated_at"])
    if was_counted and not visit.counted:
        _visit_uncount(visit=visit, user=reviewer)
    elif visit.counted and not was_counted:
        _visit_recount(visit=visit, user=reviewer)
    return visit


def visit_can_withdraw(*, visit: Visit, user: User) -> bool:
    """Its author only (not a team leader: he corrects, the author takes back), within the
    edit window, while it counts."""
    return (
        visit.volunteer_id == user.pk
        and visit.counted
        and timezone.now() - visit.received_at <= EDIT_WINDOW
    )


@transaction.atomic
def visit_withdraw(*, visit: Visit, user: User) -> Visit:
    """Take back a mistaken visit. The row stays, with who withdrew it and when; every tally
    (the volunteer's, the team's, the campaigns') moves back by exactly what the visit added,
    and the household's steps it made are undone unless a later visit built on them."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not visit_can_withdraw(visit=visit, user=user):
        raise ValidationError(
            _("Chỉ rút lại được lượt thăm của mình trong vòng 24 giờ sau khi gửi."), code="window"
        )
    VisitEdit.objects.create(
        visit=visit, edited_by=user, changes={"status": [visit.status, VisitStatus.WITHDRAWN]}
    )
    visit.status = VisitStatus.WITHDRAWN
    visit.save(update_fields=["status", "updated_at"])
    _visit_uncount(visit=visit, user=user)
    return visit


def _visit_uncount(*, visit: Visit, user: User) -> None:
    """A counted visit leaves the count: its steps, its deltas, the household's last visit."""
    if visit.status_to:
        household_status_step_back(visit=visit, user=user)
    activity_record(sender=SENDER, deltas=visit_deltas(visit, sign=-1))
    household_last_visit_refresh(household_id=visit.household_id)


def _visit_recount(*, visit: Visit, user: User) -> None:
    if visit.status_to:
        _visit_steps_restore(visit=visit, user=user)
    activity_record(sender=SENDER, deltas=visit_deltas(visit))
    household_last_visit_refresh(household_id=visit.household_id)


def _visit_steps_restore(*, visit: Visit, user: User) -> None:
    """A visit counted again (a rejection overturned): its steps move the household again, as
    far as the chain now allows (a step no longer allowed stays off, and those after it)."""
    made = [
        change.to_status
        for change in visit.status_changes.order_by("pk")
        if status_rank(change.from_status) < status_rank(change.to_status)
    ]
    steps = list(dict.fromkeys(made)) or visit_steps_of(visit.status_to)
    with contextlib.suppress(ValidationError):
        _visit_steps_apply(visit=visit, steps=steps, user=user)
