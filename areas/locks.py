"""Frozen periods: is a unit's figures for a day signed off, and so closed to changes?

Below every app that records work: households (visits, the sync door, imports through the
visit service) and trainings ask here, through the guard that `core.activity` runs on every
change of counts (registered in AreasConfig.ready), and campaigns — which owns the sign-off —
writes the PeriodLock rows. Nothing here knows campaigns.

`period_lock_refusal(area_id=…, day=…)` is the one question; `deltas_lock_check(deltas)` asks it
for a batch of activity deltas in two queries at most (one when no lock meets their days), and
raises the ValidationError a person sees.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from core.activity import activity_batch_memo

from .models import Area, PeriodLock

LOCKED = "period_locked"


def _message(lock: PeriodLock) -> str:
    return _(
        "Số liệu của %(area)s trong kỳ “%(period)s” (%(start)s – %(end)s) đã được gửi hoặc "
        "duyệt nên đã khóa: không thêm, sửa hay xóa được. Hãy đề nghị cấp duyệt mở khóa (kèm "
        "lý do) nếu cần sửa."
    ) % {
        "area": lock.area.name,
        "period": lock.label,
        "start": lock.start.strftime("%d/%m/%Y"),
        "end": lock.end.strftime("%d/%m/%Y"),
    }


def _locks_meeting(first: datetime.date, last: datetime.date) -> list[PeriodLock]:
    return list(PeriodLock.objects.filter(start__lte=last, end__gte=first).select_related("area"))


def _covering(locks: list[PeriodLock], path: str, day: datetime.date) -> PeriodLock | None:
    for lock in locks:
        if lock.start <= day <= lock.end and path.startswith(lock.area.path):
            return lock
    return None


def period_lock_refusal(*, area_id: int, day: datetime.date) -> str | None:
    """Why nothing may be recorded for `area_id` on `day` (a frozen period at the unit or a
    unit above it), or None when it may. One query, two when a lock meets the day."""
    return locks_refusals(pairs=[(area_id, day)]).get((area_id, day))


def locks_refusals(
    *, pairs: Iterable[tuple[int, datetime.date]]
) -> dict[tuple[int, datetime.date], str]:
    """For many (area id, day) pairs at once — an import, a batch of per-day tallies: the
    refusal of each frozen one. Two queries at most, whatever the number of pairs."""
    pairs = set(pairs)
    if not pairs:
        return {}
    days = [day for _area, day in pairs]
    paths = _paths_if_locked(area_ids={area for area, _day in pairs}, days=days)
    if not paths:
        return {}
    locks = _locks_meeting(min(days), max(days))
    refusals = {}
    for area_id, day in pairs:
        path = paths.get(area_id)
        lock = _covering(locks, path, day) if path else None
        if lock is not None:
            refusals[(area_id, day)] = _message(lock)
    return refusals


def _paths_if_locked(*, area_ids: set[int], days: list[datetime.date]) -> dict[int, str]:
    """The areas' paths if any frozen period meets the days, else nothing: one written-out
    statement. Almost every visit is logged on a day no sign-off has reached yet, and this
    answers it for a tenth of what the ORM's read of the locks with their areas cost (it runs
    on every single visit)."""
    q = connection.ops.quote_name
    area, lock = q(Area._meta.db_table), q(PeriodLock._meta.db_table)
    marks = ", ".join(["%s"] * len(area_ids))
    sql = (
        f"SELECT {q('id')}, {q('path')} FROM {area} WHERE {q('id')} IN ({marks}) "  # noqa: S608
        f"AND EXISTS (SELECT 1 FROM {lock} WHERE {q('start')} <= %s AND {q('end')} >= %s)"
    )
    day = PeriodLock._meta.get_field("start")
    bounds = [day.get_db_prep_value(value, connection) for value in (max(days), min(days))]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sorted(area_ids), *bounds])
        return dict(cursor.fetchall())


def period_lock_check(*, area_id: int, day: datetime.date) -> None:
    """period_lock_refusal, raised as the ValidationError a form, an import row or a sync item
    shows. Nothing has been written when it is raised inside the writing transaction."""
    refusal = period_lock_refusal(area_id=area_id, day=day)
    if refusal:
        raise ValidationError(refusal, code=LOCKED)


def deltas_lock_check(deltas: Iterable) -> None:
    """The guard of core.activity: refuse a change of counts on a frozen day. `deltas` are
    core.activity.ActivityDelta (already netted: an edit that moves no figure passes). Inside
    a batch (a phone's sync, one transaction) the frozen periods of each day are read once for
    all its items, or not at all for a day the batch already read open (`day_known_open`)."""
    pairs = [(delta.area_id, delta.day) for delta in deltas]
    memo = activity_batch_memo()
    if memo is None:
        refusals = list(locks_refusals(pairs=pairs).values())
    else:
        refusals = _batch_refusals(memo, pairs)
    if refusals:
        raise ValidationError(sorted(set(refusals))[0], code=LOCKED)


def _batch_refusals(memo: dict, pairs: list[tuple[int, datetime.date]]) -> list[str]:
    """The refusals of `pairs` from what the batch read: the locks meeting each day (one query
    per day the batch has not read yet — a batch spans a few days, whatever the number of
    sign-offs) and, only where a lock meets the day, the areas' paths."""
    by_day: dict[datetime.date, list[PeriodLock]] = memo.setdefault(_LOCKS_BY_DAY, {})
    for day in {day for _area, day in pairs} - by_day.keys():
        by_day[day] = _locks_meeting(day, day)
    frozen = [(area_id, day) for area_id, day in pairs if by_day[day]]
    if not frozen:
        return []
    paths = memo.setdefault("area_paths", {})
    missing = {area_id for area_id, _day in frozen} - paths.keys()
    if missing:
        paths.update(Area.objects.filter(pk__in=missing).values_list("pk", "path"))
    refusals = []
    for area_id, day in frozen:
        lock = _covering(by_day[day], paths[area_id], day) if area_id in paths else None
        if lock is not None:
            refusals.append(_message(lock))
    return refusals


_LOCKS_BY_DAY = "period_locks_by_day"


def day_open_condition(day: datetime.date) -> tuple[str, list]:
    """(SQL, params): true when no frozen period meets `day` — for a hot path to ask in a
    statement it runs anyway (a visit's household read) and tell `day_known_open`."""
    q = connection.ops.quote_name
    field = PeriodLock._meta.get_field("start")
    value = field.get_db_prep_value(day, connection)
    sql = (
        f"NOT EXISTS (SELECT 1 FROM {q(PeriodLock._meta.db_table)} "  # noqa: S608
        f"WHERE {q('start')} <= %s AND {q('end')} >= %s)"
    )
    return sql, [value, value]


def day_known_open(day: datetime.date) -> None:
    """This transaction read (`day_open_condition`) that no frozen period meets `day`: the
    running batch's guard need not ask again. Outside a batch nothing is kept (the guard asks
    on its own), so a caller is never trusted beyond its own transaction."""
    memo = activity_batch_memo()
    if memo is not None:
        memo.setdefault(_LOCKS_BY_DAY, {}).setdefault(day, [])


def is_locked(*, area: Area, day: datetime.date) -> bool:
    return period_lock_refusal(area_id=area.pk, day=day) is not None


class LockIndex:
    """The frozen periods over one subtree, read once (one query): an import checks each of its
    rows against it in memory, so that its preview names every frozen row before anything is
    written."""

    def __init__(self, *, area: Area | None) -> None:
        """`area` None: every frozen period (a file or a grid for many units at once)."""
        locks = PeriodLock.objects.select_related("area")
        if area is not None:
            locks = locks.filter(
                Q(area__path__startswith=area.path) | Q(area__path__in=area.ancestor_paths())
            )
        self.locks = list(locks)

    def refusal(self, *, path: str, day: datetime.date) -> str | None:
        lock = _covering(self.locks, path, day)
        return _message(lock) if lock is not None else None
