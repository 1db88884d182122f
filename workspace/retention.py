"""Retention: every period personal data is kept, and the one run that enforces them all.

The periods are settings (TUNGNHA_RETENTION, documented in the README); the nightly beat task
(workspace.tasks.retention_apply_task) and `manage.py retention_apply [--dry-run]` both call
`retention_apply`, which reports per rule how many rows were due and what was removed.
It lives here because the rules reach across apps (households, trainings, the imports)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.jobs.models import ACTIVE, FINISHED, JobStatus
from households.services import retention as households_retention
from trainings.models import SessionImport

from .models import ImportJob

DEFAULTS = {
    "contact_years": 3,
    "visit_notes_days": 365,
    "upload_days": 30,
    "contact_view_days": 730,
}


def periods() -> dict[str, int]:
    return {**DEFAULTS, **getattr(settings, "TUNGNHA_RETENTION", {})}


def _ended_before(cutoff: datetime.datetime) -> Q:
    """Jobs that ended before `cutoff` (query with `ended_at` aliased to _ENDED). A preview
    uploaded before `cutoff` and never confirmed counts as ended: its file waits for nobody."""
    return Q(status__in=FINISHED, ended_at__lt=cutoff) | Q(
        status=JobStatus.PREVIEW, created_at__lt=cutoff
    )


_ENDED = Coalesce("finished_at", "created_at")


def imports_due(*, cutoff: datetime.datetime) -> QuerySet[ImportJob]:
    kept = ~Q(content=b"") | Q(records__isnull=False)
    # A big upload waiting for its check (stored by the request, read by a worker) whose
    # worker never came keeps its file no longer than any other.
    unchecked = Q(checked=False, status__in=ACTIVE, created_at__lt=cutoff)
    return (
        ImportJob.objects.alias(ended_at=_ENDED)
        .filter(_ended_before(cutoff) | unchecked)
        .filter(kept)
    )


@transaction.atomic
def imports_expire(*, cutoff: datetime.datetime) -> int:
    """Drop the uploaded file and its previewed rows; the job stays (who, when, counts). A
    preview left unconfirmed can no longer be confirmed: it is closed, saying why."""
    ids = list(imports_due(cutoff=cutoff).values_list("pk", flat=True))
    due = ImportJob.objects.filter(pk__in=ids)
    due.filter(Q(status=JobStatus.PREVIEW) | Q(checked=False, status__in=ACTIVE)).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=gettext(
            "Tệp chưa được xác nhận nhập và đã bị xoá khi hết thời hạn lưu. Hãy tải tệp lên lại."
        ),
    )
    return due.update(content=b"", records=None)


def session_imports_due(*, cutoff: datetime.datetime) -> QuerySet[SessionImport]:
    due = SessionImport.objects.alias(ended_at=_ENDED).filter(_ended_before(cutoff))
    return due.exclude(file="")


def session_imports_expire(*, cutoff: datetime.datetime) -> int:
    done = 0
    for job in session_imports_due(cutoff=cutoff).iterator(chunk_size=200):
        name, storage = job.file.name, job.file.storage
        SessionImport.objects.filter(pk=job.pk).update(file="")
        # The file goes once the row no longer names it (a failed delete leaves an orphan file,
        # never a row pointing at nothing).
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        done += 1
    return done


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    period: Callable[[dict[str, int]], datetime.timedelta]
    due: Callable[..., QuerySet]
    expire: Callable[..., int]


RULES = [
    Rule(
        "contacts",
        _("Liên hệ và ghi chú của hộ không được thăm trong %(period)s"),
        lambda p: datetime.timedelta(days=365 * p["contact_years"]),
        households_retention.contacts_due,
        households_retention.contacts_expire,
    ),
    Rule(
        "visit_notes",
        _("Ghi chú của lượt thăm cũ hơn %(period)s"),
        lambda p: datetime.timedelta(days=p["visit_notes_days"]),
        households_retention.visit_notes_due,
        households_retention.visit_notes_expire,
    ),
    Rule(
        "imports",
        _("Tệp tải lên để nhập dữ liệu, %(period)s sau khi xong"),
        lambda p: datetime.timedelta(days=p["upload_days"]),
        imports_due,
        imports_expire,
    ),
    Rule(
        "session_imports",
        _("Tệp tải lên để nhập lớp học, %(period)s sau khi xong"),
        lambda p: datetime.timedelta(days=p["upload_days"]),
        session_imports_due,
        session_imports_expire,
    ),
    Rule(
        "contact_views",
        _("Nhật ký xem liên hệ cũ hơn %(period)s"),
        lambda p: datetime.timedelta(days=p["contact_view_days"]),
        households_retention.contact_views_due,
        households_retention.contact_views_expire,
    ),
]


@dataclass(frozen=True)
class RuleResult:
    key: str
    label: str
    cutoff: datetime.datetime
    due: int
    removed: int


def retention_apply(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[RuleResult]:
    """Apply every rule as of `now` (default: the present); a dry run only counts."""
    now = now or timezone.now()
    chosen = periods()
    results = []
    for rule in RULES:
        period = rule.period(chosen)
        cutoff = now - period
        due = rule.due(cutoff=cutoff).count()
        removed = 0 if dry_run or not due else rule.expire(cutoff=cutoff)
        label = rule.label % {"period": _days(period)}
        results.append(RuleResult(rule.key, str(label), cutoff, due, removed))
    return results


def _days(period: datetime.timedelta) -> str:
    return ngettext("%(count)d ngày", "%(count)d ngày", period.days) % {"count": period.days}
