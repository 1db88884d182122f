"""Training records for tests, made through the services so the counts stay true."""

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from areas.models import Area
from trainings.models import Topic, TrainingSession
from trainings.samples import tiny_pdf, tiny_png
from trainings.services import session_plan
from trainings.topics import topics_ensure
from volunteers.models import User


def topics(*codes: str) -> list[Topic]:
    if not Topic.objects.filter(kind="basic_skill").exists():
        topics_ensure()  # a transactional test's flush removed what the migration seeded
    return list(Topic.objects.filter(code__in=codes or ("internet",)))


def _under_way_today(hours: float) -> datetime.datetime:
    """A start half an hour ago, moved so the session neither starts yesterday nor ends
    tomorrow (Hanoi time): the forms and sheets give a session one day and two clock times, so
    one across midnight cannot be edited or read back, and tests run at any hour."""
    now = timezone.localtime()
    start = now - datetime.timedelta(minutes=30)
    length = datetime.timedelta(hours=hours)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if start < midnight:
        return midnight
    last_minute = midnight + datetime.timedelta(days=1, minutes=-1)
    return min(start, last_minute - length)


def planned(
    *,
    user: User,
    area: Area,
    start: datetime.datetime | None = None,
    hours: float = 2,
    trainers: list[User] | None = None,
    topic_codes: tuple[str, ...] = ("internet",),
) -> TrainingSession:
    start = start or _under_way_today(hours)
    return session_plan(
        user=user,
        client_uuid=uuid.uuid4(),
        area=area,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        topics=topics(*topic_codes),
        trainers=trainers or [user],
        address="Nhà văn hóa tổ dân phố",
    )


def pdf_upload(name: str = "tai-lieu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf("Huong dan"), content_type="application/pdf")


def png_upload(name: str = "anh.png", **image) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(**image), content_type="image/png")
