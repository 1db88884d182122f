"""The contract between the apps that record work and the campaigns that count it.

households and trainings call `activity_record(deltas=[...])` inside the transaction that
writes a visit, a training, a document or a post (and with negative counts when one is edited,
rejected or deleted). campaigns listens and journals the deltas in that same transaction, then
folds them into its summary tables within seconds (at once in the embedded, eager mode).
Neither recording app imports campaigns; campaigns recomputes from their raw records through
the `ACTIVITY_SOURCES` they register here, to prove the tallies have not drifted.
"""

import datetime
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """What is counted (DOMAIN.md). Each is a count of records, never a typed number."""

    HOUSEHOLDS_VISITED = "households_visited", _("Lượt hộ gia đình được tiếp cận")
    INSTALL_GUIDANCE = "install_guidance", _("Lượt hướng dẫn cài đặt VNeID và dịch vụ công")
    LEVEL1_ACTIVATIONS = "level1_activations", _("Kích hoạt định danh điện tử mức 1")
    LEVEL2_ACTIVATIONS = "level2_activations", _("Kích hoạt định danh điện tử mức 2")
    DOSSIERS_TOTAL = "dossiers_total", _("Hồ sơ được hỗ trợ tiếp nhận")
    DOSSIERS_EID = "dossiers_eid", _("Hồ sơ cấp, định danh điện tử")
    DOSSIERS_ONLINE = "dossiers_online", _("Hồ sơ trực tuyến qua cổng dịch vụ công")
    OTHER_HELP = "other_help", _("Lượt hỗ trợ kỹ năng số khác")
    TRAININGS_HELD = "trainings_held", _("Lớp bồi dưỡng kỹ năng số")
    TRAINING_ATTENDEES = "training_attendees", _("Lượt người tham dự lớp kỹ năng số")
    DOCUMENTS_ADDED = "documents_added", _("Đầu tài liệu")
    AWARENESS_POSTS = "awareness_posts", _("Bài tuyên truyền trên mạng xã hội")


# Participations (distinct volunteer × day with any activity) are derived from the deltas'
# volunteer and day, not a column of their own.
PARTICIPATIONS = "volunteer_participations"

# One per record a volunteer took part in (every person on a visit, every trainer of a held
# session), whether or not it moved an indicator: a teammate at the door, a co-trainer or a
# volunteer who found nobody at home was active that day. It moves participations and the
# volunteer's own day row, never an area's indicator totals.
PRESENCE = "presence"


@dataclass(frozen=True)
class ActivityDelta:
    """A change to the counts of one area (the leaf unit as it stood that day) on one day."""

    area_id: int
    day: datetime.date
    counts: Mapping[str, int]
    volunteer_id: int | None = None
    # The household a visit reached (its HOUSEHOLDS_VISITED count), so campaigns can count
    # distinct households reached per area; None for what is not one household's.
    household_id: int | None = None


activity_changed = Signal()  # sender=the recording app's label, deltas=list[ActivityDelta]

# label -> function yielding every delta implied by that app's raw records (for recomputes).
ACTIVITY_SOURCES: dict[str, Callable[[], Iterator[ActivityDelta]]] = {}

# Checks run on every change of counts before it is counted; one may refuse it by raising a
# ValidationError (a period whose figures were signed off: areas.locks). The recording app's
# transaction then rolls back, so the record is not written either.
ActivityGuard = Callable[[list[ActivityDelta]], None]
ACTIVITY_GUARDS: list[ActivityGuard] = []


def activity_guard_register(guard: ActivityGuard) -> None:
    if guard not in ACTIVITY_GUARDS:
        ACTIVITY_GUARDS.append(guard)


def net_deltas(deltas: Iterable[ActivityDelta]) -> list[ActivityDelta]:
    """The deltas summed per (area, day, volunteer, household), dropping what cancels out: an
    edit that takes a visit's counts off and puts the same back (a corrected note) changes
    nothing."""
    sums: dict[tuple, dict[str, int]] = {}
    for delta in deltas:
        key = (delta.area_id, delta.day, delta.volunteer_id, delta.household_id)
        counts = sums.setdefault(key, {})
        for name, value in delta.counts.items():
            counts[name] = counts.get(name, 0) + value
    return [
        ActivityDelta(
            area_id=area_id,
            day=day,
            counts=counts,
            volunteer_id=volunteer_id,
            household_id=household_id,
        )
        for (area_id, day, volunteer_id, household_id), counts in sums.items()
        if any(counts.values())
    ]


@dataclass
class ActivityBatch:
    """Deltas recorded while a batch runs, sent once when it ends (`activity_batch`). Whoever
    runs the batch rolls the buffer back with the database: `mark()` before an item's
    savepoint, `drop_since(mark)` when that savepoint is rolled back."""

    pending: list[tuple[str, ActivityDelta]] = field(default_factory=list)
    # What a guard read once for the whole batch (the frozen periods): the batch is one
    # transaction, so it cannot go stale between two items.
    memo: dict = field(default_factory=dict)

    def mark(self) -> int:
        return len(self.pending)

    def drop_since(self, mark: int) -> None:
        del self.pending[mark:]


_batches = threading.local()


@contextmanager
def activity_batch() -> Iterator[ActivityBatch]:
    """Within the caller's transaction, gather every `activity_record` and send them as one
    (per sender) when the block ends without an error: a batch of 50 visits journals its
    deltas in one INSERT instead of 50. Nested blocks join the outer one."""
    outer = getattr(_batches, "current", None)
    if outer is not None:
        yield outer
        return
    batch = _batches.current = ActivityBatch()
    try:
        yield batch
    finally:
        _batches.current = None
    senders: dict[str, list[ActivityDelta]] = {}
    for sender, delta in batch.pending:
        senders.setdefault(sender, []).append(delta)
    for sender, deltas in senders.items():
        activity_changed.send(sender=sender, deltas=deltas)


def activity_batch_memo() -> dict | None:
    """The running batch's memo for guards, or None outside a batch."""
    batch = getattr(_batches, "current", None)
    return batch.memo if batch is not None else None


def activity_record(*, sender: str, deltas: Iterable[ActivityDelta]) -> None:
    deltas = [delta for delta in deltas if any(delta.counts.values())]
    if not deltas:
        return
    # The guards run now, not when a batch ends, so a refused item fails alone in its savepoint.
    if ACTIVITY_GUARDS:
        changed = net_deltas(deltas)
        for guard in ACTIVITY_GUARDS:
            guard(changed)
    batch = getattr(_batches, "current", None)
    if batch is not None:
        batch.pending.extend((sender, delta) for delta in deltas)
        return
    activity_changed.send(sender=sender, deltas=deltas)


def activity_source_register(label: str, source: Callable[[], Iterator[ActivityDelta]]) -> None:
    ACTIVITY_SOURCES[label] = source


# label -> function(start, end) giving a queryset of the records that reached a household on
# a day of [start, end], one row per record with `household_id` and `area_id` (the leaf as it
# stood that day): the same records whose deltas carry `household_id` with a HOUSEHOLDS_VISITED
# count of one. A campaign whose period or scope moves refills its households from it in one
# statement, instead of streaming every delta of its period.
REACH_SOURCES: dict[str, Callable[[datetime.date, datetime.date], models.QuerySet]] = {}


def reach_source_register(
    label: str, source: Callable[[datetime.date, datetime.date], models.QuerySet]
) -> None:
    REACH_SOURCES[label] = source
