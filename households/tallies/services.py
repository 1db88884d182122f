"""Writes of tallies: checked whole, then saved (replacing the unit-day's earlier tally), with
the activity they move (the contract campaigns counts). The only way in, for the grid and the
import alike: nothing is written when one entry is refused."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from areas.locks import LockIndex, period_lock_refusal
from areas.models import Area
from core.activity import ActivityDelta, activity_record
from core.text import text_normalise
from volunteers.access import COORDINATION
from volunteers.authority import authority_scope
from volunteers.models import User
from volunteers.scoping import Scope

from .models import COUNT_FIELDS, Tally, TallySource
from .selectors import indicator_counts, tallies_overlapping, visit_counts_by_unit_day

SENDER = "tallies"
EARLIEST_DAY = datetime.date(2021, 1, 1)
MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class TallyEntry:
    """One unit-day as entered: `row` names it in messages (the file's row, or None)."""

    area: Area
    day: datetime.date
    counts: Mapping[str, int]
    volunteer_names: str = ""
    visits_confirmed: bool = False
    row: int | None = None

    @property
    def key(self) -> tuple[int, datetime.date]:
        return (self.area.pk, self.day)

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values()) and not self.volunteer_names.strip()


@dataclass(frozen=True)
class TallyProblem:
    row: int | None
    field: str  # a COUNT_FIELDS name, "area", "day" or "visits_confirmed"
    message: str


class TallyRefused(ValidationError):
    """Entries refused, each problem naming its row and field; nothing was written."""

    def __init__(self, problems: list[TallyProblem]) -> None:
        self.problems = problems
        super().__init__([problem.message for problem in problems])


@dataclass
class TallySaved:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    deleted: int = 0
    tallies: list[Tally] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }


def tally_scope(*, user: User) -> Scope:
    """Where `user` may enter tallies: under a coordination role held there or above."""
    return authority_scope(user=user, roles=COORDINATION)


def _refuse_locked(area: Area, day: datetime.date, locks: LockIndex | None) -> str | None:
    """The message refusing a tally dated in a submitted or approved period of `area` (or of a
    unit above it), or None. With `locks` read once, a file of many rows costs no query per row;
    core.activity's guard refuses the write again, whatever door it came through."""
    if locks is None:
        return period_lock_refusal(area_id=area.pk, day=day)
    return locks.refusal(path=area.path, day=day)


def _day_text(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def tally_entry_problems(
    *,
    entry: TallyEntry,
    scope: Scope,
    today: datetime.date | None = None,
    locks: LockIndex | None = None,
) -> list[TallyProblem]:
    """What is wrong with `entry` alone (no look at other records): the unit outside the user's
    area or not standing on that day, a day in the future or before 2021, a negative count."""
    today = today or timezone.localdate()
    problems: list[TallyProblem] = []

    def refuse(name: str, message: str) -> None:
        problems.append(TallyProblem(entry.row, name, message))

    area, day = entry.area, entry.day
    if not scope.contains(area):
        refuse("area", _("“%(unit)s” nằm ngoài địa bàn bạn phụ trách.") % {"unit": area.name})
    if day > today:
        refuse(
            "day", _("Ngày %(day)s chưa đến: không nhập số liệu trước.") % {"day": _day_text(day)}
        )
    elif day < EARLIEST_DAY:
        refuse("day", _("Ngày nằm ngoài khoảng cho phép (từ 2021 đến hôm nay)."))
    elif (area.valid_from and day < area.valid_from) or (area.valid_to and day > area.valid_to):
        refuse(
            "area",
            _(
                "“%(unit)s” không có hiệu lực vào ngày %(day)s: hãy dùng đơn vị hành chính của "
                "thời điểm đó."
            )
            % {"unit": area.name, "day": _day_text(day)},
        )
    elif locked := _refuse_locked(area, day, locks):
        refuse("day", locked)
    for name in COUNT_FIELDS:
        value = entry.counts.get(name, 0)
        if value < 0:
            refuse(name, _("Không nhận số âm."))
        elif value > MAX_COUNT:
            refuse(name, _("Số quá lớn (tối đa %(max)d).") % {"max": MAX_COUNT})
    return problems


def tally_conflicts(
    *, entries: list[TallyEntry], visit_counts: Mapping | None = None
) -> list[TallyProblem]:
    """What the records already there say against `entries`: visits recorded in the unit that
    day (counted too unless the entry confirms the tally is other work), and tallies of a unit
    above or below on the same day (the same work counted twice)."""
    keys = [(entry.area, entry.day) for entry in entries if not entry.is_empty]
    if visit_counts is None:
        visit_counts = visit_counts_by_unit_day(keys=keys)
    problems: list[TallyProblem] = []
    for entry in entries:
        visits = visit_counts.get(entry.key, 0)
        if visits and not entry.visits_confirmed and not entry.is_empty:
            problems.append(
                TallyProblem(
                    entry.row,
                    "visits_confirmed",
                    _(
                        "%(unit)s đã có %(count)d lượt thăm được ghi ngày %(day)s. Số liệu tổng "
                        "hợp sẽ được cộng thêm vào: hãy xác nhận đây là phần việc khác, không "
                        "trùng với các lượt thăm đó."
                    )
                    % {"unit": entry.area.name, "count": visits, "day": _day_text(entry.day)},
                )
            )
    stored = tallies_overlapping(keys=keys)
    entered = [
        (entry.area.pk, entry.area.path, entry.day) for entry in entries if not entry.is_empty
    ]
    names = {entry.area.pk: entry.area.name for entry in entries}
    for entry in entries:
        if entry.is_empty:
            continue
        path = entry.area.path
        for area_id, other_path, day in {*stored, *entered}:
            if day != entry.day or area_id == entry.area.pk:
                continue
            if other_path.startswith(path) or path.startswith(other_path):
                other = names.get(area_id) or Area.objects.only("name").get(pk=area_id).name
                problems.append(
                    TallyProblem(
                        entry.row,
                        "area",
                        _(
                            "Ngày %(day)s đã có số liệu tổng hợp của %(other)s (cấp trên hoặc "
                            "cấp dưới của %(unit)s): nhập ở một cấp thôi để không tính hai lần."
                        )
                        % {"day": _day_text(day), "other": other, "unit": entry.area.name},
                    )
                )
                break
    return problems


def tally_deltas(*, area_id: int, day: datetime.date, counts: Mapping[str, int], sign: int = 1):
    """What a tally moves: its counts at its unit and day, and its volunteer-days as
    participations. No volunteer: whoever typed it in did not take part."""
    moved = {key: sign * value for key, value in indicator_counts(dict(counts)).items()}
    return [ActivityDelta(area_id=area_id, day=day, counts=moved, volunteer_id=None)]


def tally_activity_source():
    """Every delta the stored tallies imply (registered with core.activity for recomputes)."""
    for tally in Tally.objects.order_by("pk").iterator(chunk_size=2000):
        yield from tally_deltas(area_id=tally.area_id, day=tally.day, counts=tally.counts())


@transaction.atomic
def tallies_save(
    *,
    user: User,
    entries: Iterable[TallyEntry],
    source: str = TallySource.GRID,
    visit_counts: Mapping | None = None,
) -> TallySaved:
    """Check every entry, then save them all or none: a unit-day's tally replaces the one
    stored (its old counts are taken back, the new ones added: never counted twice); an empty
    entry deletes it. Raises TallyRefused naming each problem."""
    entries = list(entries)
    scope = tally_scope(user=user)
    locks = LockIndex(area=None)
    problems = [
        problem
        for entry in entries
        for problem in tally_entry_problems(entry=entry, scope=scope, locks=locks)
    ]
    if not problems:
        problems = tally_conflicts(entries=entries, visit_counts=visit_counts)
    if problems:
        raise TallyRefused(problems)
    if visit_counts is None:
        visit_counts = visit_counts_by_unit_day(keys=[(e.area, e.day) for e in entries])
    stored = _stored_for(entries)
    saved = TallySaved()
    deltas: list[ActivityDelta] = []
    fresh: list[Tally] = []
    changed: list[Tally] = []
    gone: list[int] = []
    now = timezone.now()
    for entry in entries:
        tally = stored.get(entry.key)
        counts = {name: int(entry.counts.get(name, 0)) for name in COUNT_FIELDS}
        names = text_normalise(entry.volunteer_names)
        if entry.is_empty:
            if tally is not None:
                deltas += tally_deltas(
                    area_id=tally.area_id, day=tally.day, counts=tally.counts(), sign=-1
                )
                gone.append(tally.pk)
            continue
        if tally is not None and tally.counts() == counts and tally.volunteer_names == names:
            saved.unchanged += 1
            saved.tallies.append(tally)
            continue
        if tally is not None:
            deltas += tally_deltas(
                area_id=tally.area_id, day=tally.day, counts=tally.counts(), sign=-1
            )
        else:
            tally = Tally(area=entry.area, day=entry.day, created_at=now)
        for name, value in counts.items():
            setattr(tally, name, value)
        tally.volunteer_names = names
        tally.visits_acknowledged = visit_counts.get(entry.key, 0)
        tally.source = source
        tally.entered_by = user
        tally.updated_at = now
        (changed if tally.pk else fresh).append(tally)
        deltas += tally_deltas(area_id=entry.area.pk, day=entry.day, counts=counts)
        saved.tallies.append(tally)
    if gone:
        Tally.objects.filter(pk__in=gone).delete()
    if changed:
        Tally.objects.bulk_update(
            changed,
            [
                *COUNT_FIELDS,
                "volunteer_names",
                "visits_acknowledged",
                "source",
                "entered_by",
                "updated_at",
            ],
            batch_size=1000,
        )
    if fresh:
        Tally.objects.bulk_create(fresh, batch_size=1000)
    saved.created, saved.replaced, saved.deleted = len(fresh), len(changed), len(gone)
    activity_record(sender=SENDER, deltas=deltas)
    return saved


def _stored_for(entries: list[TallyEntry]) -> dict[tuple[int, datetime.date], Tally]:
    if not entries:
        return {}
    areas = {entry.area.pk for entry in entries}
    days = {entry.day for entry in entries}
    return {
        (tally.area_id, tally.day): tally
        for tally in Tally.objects.select_for_update().filter(area_id__in=areas, day__in=days)
    }
