"""Demo trainings, documents and posts in Phường Định Công: Youth Month 2023 and recent weeks.

Idempotent: sessions are keyed by a uuid5 of their demo number, documents by title, posts by URL.
"""

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from volunteers.demo import DemoWorld

from .models import AwarenessPost, Document, Topic, TrainingSession
from .samples import tiny_pdf, tiny_png
from .services import (
    checkin_record,
    document_add,
    post_add,
    session_mark_held,
    session_plan,
    session_report,
)
from .topics import topics_ensure

NAMESPACE = uuid.UUID("6f1d7c1e-4a8b-4c39-9d0f-7a3e2b1c0d55")
TOPIC_CYCLE = [
    ("internet", "email"),
    ("e-payment",),
    ("public-services",),
    ("personal-data-safety", "online-trade"),
    ("bdhvs-safety",),
]
ATTENDEE_NAMES = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng", "Vũ Thị Én"]


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _session(world: DemoWorld, number: int, start: datetime.datetime, state: str, count: int):
    key = uuid.uuid5(NAMESPACE, f"session-{number}")
    if TrainingSession.objects.filter(client_uuid=key).exists():
        return
    volunteer = world.users["volunteer" if number % 2 else "volunteer2"]
    planner = volunteer if start.date() >= datetime.date(2025, 7, 1) else world.users["ward"]
    group = world.groups[0] if number % 2 else world.groups[2]
    session = session_plan(
        user=planner,
        client_uuid=key,
        area=group,
        start=start,
        end=start + datetime.timedelta(hours=2),
        topics=list(Topic.objects.filter(code__in=TOPIC_CYCLE[number % len(TOPIC_CYCLE)])),
        trainers=[volunteer],
        address=f"Nhà văn hóa {group.name}",
        audience=["residents", "elderly", "students", "small_businesses"][number % 4],
    )
    if state == "planned":
        return
    for index in range(min(count, len(ATTENDEE_NAMES))):
        checkin_record(
            session=session,
            name=ATTENDEE_NAMES[index],
            phone=f"09120{number:02d}{index:03d}",
            consent=index % 2 == 0,
            now=start + datetime.timedelta(minutes=10),
        )
    if state == "held":
        session_mark_held(user=volunteer, session=session)
    else:
        session_report(user=volunteer, session=session, attendee_count=count)


def _documents(world: DemoWorld) -> None:
    items = [
        (world.ward, "Cẩm nang kỹ năng số cho người dân", "pdf", "users"),
        (world.ward, "Hướng dẫn kích hoạt VNeID mức 2", "pdf", "ward"),
        (world.groups[0], "Áp phích: Bảo vệ thông tin cá nhân", "png", "volunteer"),
    ]
    for area, title, kind, who in items:
        if Document.objects.filter(area=area, title=title).exists():
            continue
        user = world.users["ward" if who != "volunteer" else "volunteer"]
        content = (
            tiny_pdf(title.encode("ascii", "ignore").decode()) if kind == "pdf" else tiny_png()
        )
        document_add(
            user=user,
            area=area,
            title=title,
            upload=SimpleUploadedFile(f"demo.{kind}", content),
            topics=list(Topic.objects.filter(code__in=("internet", "personal-data-safety"))),
        )


def _posts(world: DemoWorld, today: datetime.date) -> None:
    items = [
        ("facebook", "https://facebook.com/doanphuongdinhcong/posts/2023031801",
         datetime.date(2023, 3, 18), "ward"),
        ("zalo", "https://zalo.me/doanphuongdinhcong/p/2023032502",
         datetime.date(2023, 3, 25), "ward"),
        ("tiktok", "https://tiktok.com/@tuoitredinhcong/video/7001", today, "volunteer"),
        ("youtube", "https://youtube.com/watch?v=dinhcong-vneid", today, "volunteer2"),
    ]  # fmt: skip
    for platform, url, day, who in items:
        if AwarenessPost.objects.filter(url=url).exists():
            continue
        post_add(
            user=world.users[who],
            area=world.groups[0] if who.startswith("volunteer") else world.ward,
            platform=platform,
            url=url,
            published_on=day,
            reach=1200 if platform == "facebook" else None,
        )


@transaction.atomic
def seed(world: DemoWorld, *, scale: int = 1) -> None:
    topics_ensure()
    today = timezone.localdate()
    number = 0
    for _ in range(max(scale, 1)):
        # Youth Month 2023: reported; they count in the legacy groups through area_as_of.
        for day in (6, 12, 18, 25):
            number += 1
            _session(world, number, _aware(datetime.date(2023, 3, day), 8), "reported", 20 + day)
        # The recent weeks: reported, held (waiting for the report), and one planned.
        for days_ago, state in ((14, "reported"), (7, "reported"), (2, "held")):
            number += 1
            start = _aware(today - datetime.timedelta(days=days_ago), 14)
            _session(world, number, start, state, 8 + days_ago)
        number += 1
        _session(world, number, _aware(today + datetime.timedelta(days=3), 8), "planned", 0)
    _documents(world)
    _posts(world, today)
