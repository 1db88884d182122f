"""The shared library of materials and the awareness-posts register."""

import datetime
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from core.activity import activity_record
from volunteers.access import FIELD
from volunteers.authority import is_administrator, roles_at
from volunteers.models import User
from volunteers.scoping import scope_for

from ..counting import SENDER, difference, document_deltas, post_deltas
from ..models import AwarenessPost, Document, DocumentKind, Platform, Topic
from ..uploads import document_max_bytes, extension_for, sniff_upload

DOCUMENT_KINDS = frozenset(DocumentKind.values)
# Tracking parameters make one post look like many; they are dropped before the uniqueness check.
_SOCIAL_HOSTS = frozenset({"facebook.com", "youtube.com", "tiktok.com", "zalo.me"})
_TRACKING = ("utm_", "fbclid", "gclid", "zarsrc", "_t", "is_from_webapp", "sender_device")


def _check_area(user: User, area: Area) -> None:
    if not scope_for(user=user).contains(area):
        raise ValidationError({"area": _("Đơn vị này nằm ngoài phạm vi của bạn.")})


@transaction.atomic
def document_add(
    *,
    user: User,
    area: Area,
    title: str,
    upload: UploadedFile | None,
    topics: Sequence[Topic] = (),
    description: str = "",
    published_on: datetime.date | None = None,
) -> Document:
    """Store a checked file and count it on the day it was published (default: today)."""
    _check_area(user, area)
    published_on = published_on or timezone.localdate()
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("Ngày phát hành không thể ở tương lai.")})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Hãy đặt tên cho tài liệu.")})
    try:
        sniffed = sniff_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=document_max_bytes())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    original_name = upload.name[:255]
    upload.name = f"document.{extension_for(sniffed.kind)}"
    document = Document(
        title=title[:200],
        description=description.strip(),
        area=area,
        file=upload,
        original_name=original_name,
        kind=sniffed.kind,
        size=sniffed.size,
        uploaded_by=user,
        published_on=published_on,
    )
    document.full_clean(exclude=["file"])
    document.save()
    document.topics.set(topics)
    activity_record(sender=SENDER, deltas=document_deltas(document))
    return document


@transaction.atomic
def document_delete(*, user: User, document: Document) -> None:
    document = Document.objects.select_for_update().select_related("area").get(pk=document.pk)
    old = document_deltas(document)
    name, storage = document.file.name, document.file.storage
    document.delete()
    activity_record(sender=SENDER, deltas=difference(old, []))
    transaction.on_commit(lambda: storage.delete(name))


def url_normalize(raw: str) -> str:
    """One spelling per post: http(s) only, lower-case host, no fragment, no tracking, no
    trailing slash; raises ValidationError otherwise."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError({"url": _("Hãy dán đường dẫn của bài đăng.")})
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            {"url": _("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")}, code="scheme"
        )
    host = parts.hostname.lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and host[len(prefix) :] in _SOCIAL_HOSTS:
            host = host[len(prefix) :]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(_TRACKING)
        ]
    )
    url = urlunsplit((scheme, netloc, path, query, ""))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationError({"url": _("Đường dẫn không hợp lệ.")}, code="invalid") from error
    return url


def author_takes_part(*, author: User, area: Area) -> bool:
    """A post's author is a participating volunteer when they hold a field role (volunteer,
    team leader) at the post's unit or above; an official entering a post is not."""
    if is_administrator(author):
        return False
    return bool(roles_at(user=author, area=area) & FIELD)


@transaction.atomic
def post_add(
    *,
    user: User,
    area: Area,
    platform: str,
    url: str,
    published_on: datetime.date,
    author: User | None = None,
    reach: int | None = None,
    title: str = "",
) -> AwarenessPost:
    _check_area(user, area)
    if platform not in Platform.values:
        raise ValidationError({"platform": _("Hãy chọn nền tảng.")})
    url = url_normalize(url)
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("Ngày đăng không thể ở tương lai.")})
    if reach is not None and reach < 0:
        raise ValidationError({"reach": _("Lượt tiếp cận không thể là số âm.")})
    duplicate = _("Bài đăng này đã được ghi nhận trước đó.")
    if AwarenessPost.objects.filter(url=url).exists():
        raise ValidationError({"url": duplicate}, code="duplicate")
    author = author or user
    post = AwarenessPost(
        author_participates=author_takes_part(author=author, area=area),
        platform=platform,
        url=url,
        title=" ".join((title or "").split())[:200],
        published_on=published_on,
        author=author,
        area=area,
        reach=reach,
    )
    post.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError as error:
        raise ValidationError({"url": duplicate}, code="duplicate") from error
    activity_record(sender=SENDER, deltas=post_deltas(post))
    return post


@transaction.atomic
def post_delete(*, user: User, post: AwarenessPost) -> None:
    post = AwarenessPost.objects.select_for_update().select_related("area").get(pk=post.pk)
    old = post_deltas(post)
    post.delete()
    activity_record(sender=SENDER, deltas=difference(old, []))
