"""The review queue, first version: visits that look padded wait for a coordinator.

A visit is flagged when its volunteer logged more visits in one hour than a person can make,
when a count exceeds the household's members, when one volunteer coached many level-2
activations in a day, or when the household lies outside the volunteer's assigned areas.
Flagged visits move to "pending review" (they still count, as the households app decides);
the coordinator confirms them, or rejects them and they count nowhere (visit_review sends the
negative deltas). A visit that was flagged or decided once is not flagged again.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from volunteers.models import User
from volunteers.scoping import field_scope_for

from .models import COUNT_FIELDS, Visit, VisitEdit, VisitStatus
from .services import visit_review

MAX_VISITS_PER_HOUR = 12  # five minutes a household, door to door, is already fast
MAX_LEVEL2_PER_DAY = 20
SCAN_DAYS = 30


def _ward_visits(ward: Area, since: datetime.date) -> QuerySet[Visit]:
    return Visit.objects.filter(household__area__path__startswith=ward.path, day__gte=since)


def review_flags(*, visits: QuerySet[Visit]) -> dict[int, list[str]]:
    """Reasons per visit id, for the visits in `visits` that look padded."""
    flags: dict[int, list[str]] = defaultdict(list)
    busy = (
        visits.annotate(hour=TruncHour("device_time"))
        .values("volunteer_id", "hour")
        .annotate(n=Count("id"))
        .filter(n__gt=MAX_VISITS_PER_HOUR)
    )
    for bucket in busy:
        hour = bucket["hour"]
        message = _("%(n)d lượt thăm trong một giờ (tối đa hợp lý %(max)d).") % {
            "n": bucket["n"],
            "max": MAX_VISITS_PER_HOUR,
        }
        ids = visits.filter(
            volunteer_id=bucket["volunteer_id"],
            device_time__gte=hour,
            device_time__lt=hour + datetime.timedelta(hours=1),
        ).values_list("pk", flat=True)
        for pk in ids:
            flags[pk].append(message)
    over = Q()
    for name in COUNT_FIELDS:
        over |= Q(**{f"{name}__gt": F("household__members")})
    for pk in visits.filter(over).values_list("pk", flat=True):
        flags[pk].append(_("Số người được hỗ trợ nhiều hơn số nhân khẩu của hộ."))
    coached = (
        visits.values("volunteer_id", "day")
        .annotate(total=Sum("level2_coaching"))
        .filter(total__gt=MAX_LEVEL2_PER_DAY)
    )
    for day in coached:
        message = _("%(n)d lượt hướng dẫn mức 2 trong một ngày.") % {"n": day["total"]}
        ids = visits.filter(
            volunteer_id=day["volunteer_id"], day=day["day"], level2_coaching__gt=0
        ).values_list("pk", flat=True)
        for pk in ids:
            flags[pk].append(message)
    by_volunteer: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, volunteer_id, path in visits.values_list("pk", "volunteer_id", "household__area__path"):
        by_volunteer[volunteer_id].append((pk, path))
    for volunteer in User.objects.filter(pk__in=list(by_volunteer)):
        scope = field_scope_for(user=volunteer)
        for pk, path in by_volunteer[volunteer.pk]:
            if not scope.everything and not any(path.startswith(p) for p in scope.paths):
                flags[pk].append(_("Hộ nằm ngoài địa bàn được giao của tình nguyện viên."))
    return dict(flags)


@transaction.atomic
def review_scan(*, ward: Area, since: datetime.date | None = None) -> int:
    """Flag the ward's recent visits that look padded; returns how many were flagged."""
    since = since or timezone.localdate() - datetime.timedelta(days=SCAN_DAYS)
    decided = VisitEdit.objects.filter(visit=OuterRef("pk"), changes__has_key="status")
    candidates = _ward_visits(ward, since).filter(status=VisitStatus.OK).filter(~Exists(decided))
    flags = review_flags(visits=candidates)
    if not flags:
        return 0
    Visit.objects.filter(pk__in=list(flags), status=VisitStatus.OK).update(
        status=VisitStatus.PENDING_REVIEW
    )
    VisitEdit.objects.bulk_create(
        VisitEdit(
            visit_id=pk,
            edited_by=None,
            changes={"status": [VisitStatus.OK, VisitStatus.PENDING_REVIEW], "flags": reasons},
        )
        for pk, reasons in flags.items()
    )
    return len(flags)


def review_queue(*, ward: Area) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(
            household__area__path__startswith=ward.path, status=VisitStatus.PENDING_REVIEW
        )
        .select_related("household", "household__area", "volunteer")
        .order_by("-device_time")
    )


def review_reasons(*, visits: list[Visit]) -> dict[int, list[str]]:
    """Why each visit waits: the flags stored when the scan queued it, or, for a visit queued
    as it was logged (counts above the household's members, confirmed by the volunteer), the
    flags it raises now."""
    reasons: dict[int, list[str]] = {}
    edits = VisitEdit.objects.filter(visit__in=visits, changes__has_key="flags").order_by(
        "edited_at"
    )
    for edit in edits:
        reasons[edit.visit_id] = edit.changes.get("flags", [])
    unexplained = [visit.pk for visit in visits if visit.pk not in reasons]
    if unexplained:
        reasons.update(review_flags(visits=Visit.objects.filter(pk__in=unexplained)))
    return reasons


def review_decide(*, visit: Visit, reviewer: User, approve: bool) -> Visit:
    """Confirm (counts as logged) or reject (counts nowhere) through the households service."""
    return visit_review(visit=visit, reviewer=reviewer, approve=approve)


def review_scan_all() -> int:
    """Every ward with recent visits (the periodic task)."""
    since = timezone.localdate() - datetime.timedelta(days=2)
    paths = set(
        Visit.objects.filter(day__gte=since).values_list("household__area__path", flat=True)
    )
    flagged = 0
    # Households hang on residential groups: the ward is the parent of each.
    for ward in Area.objects.filter(path__in={path[: -Area.steplen] for path in paths}):
        flagged += review_scan(ward=ward, since=since)
    return flagged
