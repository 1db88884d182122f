"""Plan, hold, report, edit and delete a training session; every change counted in the same
transaction (counting.difference of the session's deltas before and after)."""

import datetime
import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.activity import activity_record
from volunteers.models import User
from volunteers.scoping import scope_for

from ..counting import SENDER, difference, session_deltas
from ..models import (
    Attendee,
    Audience,
    SessionPhoto,
    SessionState,
    Topic,
    TrainingSession,
)
from ..thumbnails import photo_thumbnail_make
from ..uploads import IMAGE_KINDS, Sniffed, extension_for, photo_max_bytes, sniff_upload
from .attendees import AttendeeInput, _attendees_privacy_check

MAX_PHOTOS = 10


MAX_SESSION_HOURS = 12


def _check_area(user: User, area: Area) -> None:
    if not scope_for(user=user).contains(area):
        raise ValidationError({"area": _("Địa bàn này nằm ngoài phạm vi của bạn.")})


def session_span(
    day: datetime.date, start_time: datetime.time, end_time: datetime.time
) -> tuple[datetime.datetime, datetime.datetime]:
    """A session's start and end as a form or a sheet gives them (one day, two clock times),
    read as the person means them: an end earlier on the clock than the start is the next
    day's when that makes a session of at most MAX_SESSION_HOURS (22:00 – 01:00: across
    midnight, which session_times_check then refuses with its reason); otherwise it is taken
    as typed (10:00 – 09:00: ends before it starts)."""
    start = timezone.make_aware(datetime.datetime.combine(day, start_time))
    end = timezone.make_aware(datetime.datetime.combine(day, end_time))
    if end < start:
        overnight = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), end_time)
        )
        if overnight - start <= datetime.timedelta(hours=MAX_SESSION_HOURS):
            end = overnight
    return start, end


def session_times_check(*, start: datetime.datetime, end: datetime.datetime) -> None:
    """The one rule for a session's times, asked by every way in (the forms, the offline sync,
    the back-entry import): it ends after it starts, on the day it starts (Vietnam's time), and
    within MAX_SESSION_HOURS. The forms and sheets give a session one day and two clock times,
    so a session across midnight could be neither edited nor exported and read back."""
    first_day = timezone.localtime(start).date()
    if end < start:
        message, code = _("Giờ kết thúc phải sau giờ bắt đầu."), "order"
    elif timezone.localtime(end).date() != first_day:
        message = _(
            "Buổi học phải kết thúc trong ngày bắt đầu (%(day)s), chậm nhất lúc 23:59: mỗi buổi "
            "được ghi một ngày với giờ bắt đầu và giờ kết thúc. Lớp học kéo dài qua nửa đêm hãy "
            "ghi thành hai buổi, mỗi buổi một ngày."
        ) % {"day": first_day.strftime("%d/%m/%Y")}
        code = "crosses_midnight"
    elif end - start > datetime.timedelta(hours=MAX_SESSION_HOURS):
        message = _("Một buổi học không dài quá %(hours)d giờ.") % {"hours": MAX_SESSION_HOURS}
        code = "too_long"
    else:
        return
    raise ValidationError({"end": ValidationError(message, code=code)})


def _check_not_future(session: TrainingSession, now: datetime.datetime) -> None:
    if session.start > now:
        raise ValidationError(
            {
                "start": _(
                    "Buổi học bắt đầu lúc %(start)s, vẫn còn ở tương lai: chưa thể ghi là đã "
                    "tổ chức hay báo cáo."
                )
                % {"start": timezone.localtime(session.start).strftime("%H:%M %d/%m/%Y")}
            },
            code="future",
        )


def _check_topics(area: Area, topics: Sequence[Topic]) -> None:
    if not topics:
        raise ValidationError({"topics": _("Hãy chọn ít nhất một chủ đề.")})
    for topic in topics:
        if topic.area_id and not area.path.startswith(topic.area.path):
            raise ValidationError(
                {"topics": _("Chủ đề “%(topic)s” thuộc địa bàn khác.") % {"topic": topic.name}}
            )


def _check_trainers(trainers: Iterable[User]) -> None:
    for trainer in trainers:
        if not trainer.is_active or not trainer.memberships.filter(is_active=True).exists():
            raise ValidationError(
                {"trainers": _("%(name)s không còn vai trò nào.") % {"name": trainer}}
            )


def _counted_now(session_id: int) -> list:
    session = TrainingSession.objects.select_related("area").get(pk=session_id)
    return session_deltas(session)


def _recounted(session: TrainingSession, change: Callable[[], None]) -> None:
    """Apply `change` to a locked session and record what it did to the counts."""
    old = _counted_now(session.pk)
    change()
    activity_record(sender=SENDER, deltas=difference(old, _counted_now(session.pk)))


@transaction.atomic
def session_plan(
    *,
    user: User,
    client_uuid: uuid.UUID | str | None,
    area: Area,
    start: datetime.datetime,
    end: datetime.datetime,
    topics: Sequence[Topic],
    trainers: Sequence[User] = (),
    address: str = "",
    audience: str = Audience.RESIDENTS,
    title: str = "",
    notes: str = "",
) -> TrainingSession:
    """Plan a session once, however many times the phone sends it (keyed by client_uuid)."""
    client_uuid = uuid.UUID(str(client_uuid)) if client_uuid else uuid.uuid4()
    existing = TrainingSession.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        if existing.created_by_id != user.pk:
            raise ValidationError(_("Mã phiếu này đã được dùng cho một lớp khác."))
        return existing
    _check_area(user, area)
    session_times_check(start=start, end=end)
    _check_topics(area, topics)
    trainers = list(trainers) or [user]
    _check_trainers(trainers)
    session = TrainingSession(
        client_uuid=client_uuid,
        area=area,
        start=start,
        end=end,
        address=address.strip(),
        audience=audience,
        title=title.strip(),
        notes=notes.strip(),
        created_by=user,
    )
    session.full_clean()
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # Two copies of the same form raced; the other one won. Return it.
        return TrainingSession.objects.get(client_uuid=client_uuid, created_by=user)
    session.topics.set(topics)
    session.trainers.set(trainers)
    return session


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().select_related("area").get(pk=session.pk)


@transaction.atomic
def session_update(
    *,
    user: User,
    session: TrainingSession,
    area: Area,
    start: datetime.datetime,
    end: datetime.datetime,
    topics: Sequence[Topic],
    trainers: Sequence[User],
    address: str = "",
    audience: str = Audience.RESIDENTS,
    title: str = "",
    notes: str = "",
    now: datetime.datetime | None = None,
) -> TrainingSession:
    """Edit a session in any state; a held one moved into the future is refused."""
    session = _locked(session)
    _check_area(user, area)
    session_times_check(start=start, end=end)
    _check_topics(area, topics)
    trainers = list(trainers) or [user]
    # A trainer already on the session stays, even one whose roles have ended since: they
    # did train. Only newly named trainers must hold a role.
    current = set(session.trainers.values_list("pk", flat=True))
    _check_trainers([trainer for trainer in trainers if trainer.pk not in current])
    session.area, session.start, session.end = area, start, end
    session.address, session.audience = address.strip(), audience
    session.title, session.notes = title.strip(), notes.strip()
    if session.is_counted:
        _check_not_future(session, now or timezone.now())
    session.full_clean()

    def change() -> None:
        session.save()
        session.topics.set(topics)
        session.trainers.set(trainers)

    _recounted(session, change)
    return session


@transaction.atomic
def session_mark_held(
    *, user: User, session: TrainingSession, now: datetime.datetime | None = None
) -> TrainingSession:
    session = _locked(session)
    now = now or timezone.now()
    if session.state != SessionState.PLANNED:
        return session  # already held or reported: nothing to do, and nothing counted twice
    _check_not_future(session, now)

    def change() -> None:
        session.state = SessionState.HELD
        session.held_at = now
        session.save(update_fields=["state", "held_at", "updated_at"])

    _recounted(session, change)
    return session


def _content_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _new_photos(
    session: TrainingSession, photos: Sequence[UploadedFile]
) -> list[tuple[UploadedFile, str]]:
    """The photos not on the session yet, by content, each once, with their digests."""
    known = set(session.photos.values_list("digest", flat=True))
    fresh = []
    for photo in photos:
        digest = _content_digest(photo)
        if digest not in known:
            known.add(digest)
            fresh.append((photo, digest))
    return fresh


def _sniff_photos(photos: Sequence[UploadedFile], existing: int) -> list[Sniffed]:
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Mỗi lớp giữ tối đa %(count)d ảnh.") % {"count": MAX_PHOTOS}}
        )
    checked = []
    for photo in photos:
        try:
            checked.append(sniff_upload(photo, allowed=IMAGE_KINDS, max_bytes=photo_max_bytes()))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    return checked


@transaction.atomic
def session_report(
    *,
    user: User,
    session: TrainingSession,
    attendee_count: int,
    attendees: Sequence[AttendeeInput] = (),
    attendees_consent: bool = False,
    photos: Sequence[UploadedFile] = (),
    notes: str | None = None,
    now: datetime.datetime | None = None,
) -> TrainingSession:
    """Report a held (or just finished) session: attendees, consented list, photos.

    Everything is checked before anything is written: a bad photo or a list without consent
    leaves the session as it was.
    """
    session = _locked(session)
    now = now or timezone.now()
    if attendee_count is None or attendee_count < 0:
        raise ValidationError(
            {"attendee_count": _("Số người tham dự không thể là số âm.")}, code="negative"
        )
    if attendees and not attendees_consent:
        raise ValidationError(
            {
                "attendees_consent": _(
                    "Danh sách người tham dự chỉ được lưu khi từng người đã đồng ý. Hãy xác "
                    "nhận sự đồng ý, hoặc để trống danh sách."
                )
            },
            code="no_consent",
        )
    _check_not_future(session, now)
    _attendees_privacy_check(attendees)
    fresh = _new_photos(session, photos)
    checked = _sniff_photos([photo for photo, _digest in fresh], session.photos.count())

    def change() -> None:
        session.attendee_count = attendee_count
        if notes is not None:
            session.notes = notes.strip()
        if session.held_at is None:
            session.held_at = now
        session.state = SessionState.REPORTED
        session.reported_at = now
        session.full_clean()
        session.save()
        if attendees:
            session.attendees.all().delete()
            Attendee.objects.bulk_create(
                Attendee(
                    session=session,
                    name=person.name,
                    phone=person.phone,
                    age_group=person.age_group,
                    consent=True,
                )
                for person in attendees
            )
        for (photo, digest), sniffed in zip(fresh, checked, strict=True):
            photo.name = f"photo.{extension_for(sniffed.kind)}"
            stored = SessionPhoto.objects.create(
                session=session,
                file=photo,
                content_type=sniffed.content_type,
                size=sniffed.size,
                digest=digest,
                uploaded_by=user,
            )
            photo_thumbnail_make(photo=stored)  # one unreadable: its list shows the original

    _recounted(session, change)
    return session


@transaction.atomic
def session_delete(*, user: User, session: TrainingSession) -> None:
    session = _locked(session)
    old = session_deltas(session)
    for photo in session.photos.all():
        storage = photo.file.storage
        for name in filter(None, [photo.file.name, photo.thumbnail.name]):
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    session.delete()
    activity_record(sender=SENDER, deltas=difference(old, []))
