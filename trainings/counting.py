"""What each training record adds to the counts (core.activity), from the raw rows.

The same functions serve the writes (services record `new - old` inside their transaction) and
the recompute source campaigns uses to prove the tallies have not drifted, so the two cannot
disagree.

Decisions:
- A session counts once it is held or reported, on the local day it started, in the leaf unit
  (its residential group or ward) as it stood that day, for its lead trainer (the trainer with
  the smallest id, else the person who planned it). Every trainer, the lead included, also
  gets a presence (core.activity.PRESENCE): co-trainers were active that day and count
  as participating, without adding to the indicators.
- Its attendees are max(typed count, distinct check-ins, people on the consented list): the
  typed number is what the trainer saw in the room, the check-ins are the floor it cannot go
  under, and nobody is counted twice.
- A document counts on the day it was published (given when it is added; the day it was added
  for documents older than the field), for its uploader; a post on the day it was published,
  for its author when the author took part as a volunteer (not an official entering it).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from areas.models import Area
from areas.selectors import area_as_of
from core.activity import PRESENCE, ActivityDelta, Indicator

from .models import COUNTED_STATES, Attendee, AwarenessPost, CheckIn, Document, TrainingSession

SENDER = "trainings"


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _leaf_id(area: Area, day: datetime.date) -> int:
    return area_as_of(area=area, day=day).pk


def with_attendee_sources(sessions):
    """Annotate a TrainingSession queryset with what `session_attendees` reads (check-ins and
    listed attendees), one subquery each: every page and export shows the number the tallies
    count, without a query per row."""

    def count_of(model):
        rows = (
            model.objects.filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return sessions.annotate(checkin_total=count_of(CheckIn), attendee_total=count_of(Attendee))


def session_attendees(session: TrainingSession) -> int:
    """The attendees a session counts (see the module's decisions)."""
    checkins = getattr(session, "checkin_total", None)
    if checkins is None:
        checkins = session.checkins.count()
    listed = getattr(session, "attendee_total", None)
    if listed is None:
        listed = session.attendees.count()
    return max(session.attendee_count, checkins, listed)


def session_trainer_ids(session: TrainingSession) -> list[int]:
    return sorted(user.pk for user in session.trainers.all())


def session_lead_id(session: TrainingSession) -> int | None:
    return min(session_trainer_ids(session), default=None) or session.created_by_id


def session_deltas(session: TrainingSession | None) -> list[ActivityDelta]:
    if session is None or session.state not in COUNTED_STATES:
        return []
    day = local_day(session.start)
    area_id = _leaf_id(session.area, day)
    lead = session_lead_id(session)
    deltas = [
        ActivityDelta(
            area_id=area_id,
            day=day,
            counts={
                Indicator.TRAININGS_HELD: 1,
                Indicator.TRAINING_ATTENDEES: session_attendees(session),
                PRESENCE: 1,
            },
            volunteer_id=lead,
        )
    ]
    deltas += [
        ActivityDelta(area_id=area_id, day=day, counts={PRESENCE: 1}, volunteer_id=trainer_id)
        for trainer_id in session_trainer_ids(session)
        if trainer_id != lead
    ]
    return deltas


def document_deltas(document: Document | None) -> list[ActivityDelta]:
    if document is None:
        return []
    day = document.published_on or local_day(document.created_at)
    return [
        ActivityDelta(
            area_id=_leaf_id(document.area, day),
            day=day,
            counts={Indicator.DOCUMENTS_ADDED: 1},
            volunteer_id=document.uploaded_by_id,
        )
    ]


def post_deltas(post: AwarenessPost | None) -> list[ActivityDelta]:
    if post is None:
        return []
    day = post.published_on
    return [
        ActivityDelta(
            area_id=_leaf_id(post.area, day),
            day=day,
            counts={Indicator.AWARENESS_POSTS: 1},
            # An official's post counts as a post, not as a volunteer taking part that day.
            volunteer_id=post.author_id if post.author_participates else None,
        )
    ]


def difference(old: Iterable[ActivityDelta], new: Iterable[ActivityDelta]) -> list[ActivityDelta]:
    """`new - old`, netted per (area, day, volunteer): an unchanged edit sends nothing."""
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sign, deltas in ((-1, old), (1, new)):
        for delta in deltas:
            key = (delta.area_id, delta.day, delta.volunteer_id)
            for indicator, count in delta.counts.items():
                totals[key][indicator] += sign * count
    return [
        ActivityDelta(area_id=area_id, day=day, counts=dict(counts), volunteer_id=volunteer_id)
        for (area_id, day, volunteer_id), counts in totals.items()
        if any(counts.values())
    ]


def all_deltas() -> Iterator[ActivityDelta]:
    """Every delta implied by the current raw records (registered as the recompute source)."""
    from django.db.models import Prefetch

    from volunteers.models import User

    sessions = (
        TrainingSession.objects.filter(state__in=COUNTED_STATES)
        .select_related("area")
        .prefetch_related(Prefetch("trainers", queryset=User.objects.only("pk")))
    )
    sessions = with_attendee_sources(sessions)
    for session in sessions.iterator(chunk_size=500):
        yield from session_deltas(session)
    for document in Document.objects.select_related("area").iterator(chunk_size=500):
        yield from document_deltas(document)
    for post in AwarenessPost.objects.select_related("area").iterator(chunk_size=500):
        yield from post_deltas(post)
