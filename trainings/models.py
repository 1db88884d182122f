"""Digital-skills classes, their check-ins, the shared library of materials and awareness posts.

Each record here is counted (core.activity): a session once it has been held, a document on
the day it was added, a post on the day it was published. The counts are derived in counting.py
from these rows; nothing typed into a report is ever counted.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.jobs.models import Job
from core.privacy import privacy_check


class TopicKind(models.TextChoices):
    BASIC_SKILL = "basic_skill", _("Kỹ năng số cơ bản")
    NATIONAL = "national", _("Bình dân học vụ số")
    CUSTOM = "custom", _("Chủ đề riêng của địa bàn")


class Topic(models.Model):
    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên chủ đề"), max_length=200, validators=[privacy_check])
    kind = models.CharField(_("loại"), max_length=16, choices=TopicKind.choices)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="training_topics",
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        help_text=_("Chỉ với chủ đề riêng: địa bàn đã thêm chủ đề này."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="custom", area__isnull=False) | ~Q(kind="custom"),
                name="topic_custom_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Người dân")
    ELDERLY = "elderly", _("Người cao tuổi")
    STUDENTS = "students", _("Học sinh, sinh viên")
    OFFICIALS = "officials", _("Cán bộ, công chức")
    SMALL_BUSINESSES = "small_businesses", _("Hộ kinh doanh, doanh nghiệp nhỏ")


class SessionState(models.TextChoices):
    PLANNED = "planned", _("Đã lên kế hoạch")
    HELD = "held", _("Đã tổ chức")
    REPORTED = "reported", _("Đã báo cáo")


COUNTED_STATES = (SessionState.HELD, SessionState.REPORTED)


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Dưới 18")
    AGE_18_35 = "18_35", _("18–35")
    AGE_36_59 = "36_59", _("36–59")
    AGE_60_PLUS = "60_plus", _("Từ 60 tuổi")


def _checkin_token() -> str:
    return secrets.token_urlsafe(12)


class TrainingSession(models.Model):
    client_uuid = models.UUIDField(_("mã phiếu trên máy"), unique=True, default=uuid.uuid4)
    title = models.CharField(_("tên lớp"), max_length=200, blank=True, validators=[privacy_check])
    topics = models.ManyToManyField(Topic, related_name="sessions", verbose_name=_("chủ đề"))
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("địa bàn")
    )
    address = models.CharField(
        _("địa điểm"), max_length=255, blank=True, validators=[privacy_check]
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="trainings_given",
        verbose_name=_("người hướng dẫn"),
        blank=True,
    )
    audience = models.CharField(
        _("đối tượng"), max_length=24, choices=Audience.choices, default=Audience.RESIDENTS
    )
    attendee_count = models.PositiveIntegerField(_("số người tham dự"), default=0)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=SessionState.choices, default=SessionState.PLANNED
    )
    notes = models.TextField(_("ghi chú"), blank=True, validators=[privacy_check])
    checkin_token = models.CharField(
        _("mã điểm danh"), max_length=32, unique=True, default=_checkin_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_sessions_created",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    held_at = models.DateTimeField(_("xác nhận đã tổ chức lúc"), null=True, blank=True)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    # The outbox item (its client id) whose report was applied last: that item sent again is a
    # replay, answered as a duplicate whatever was edited on the session since.
    report_client_uuid = models.UUIDField(
        _("mã báo cáo tạo trên máy"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("lớp kỹ năng số")
        verbose_name_plural = _("lớp kỹ năng số")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="session_ordered"),
        ]
        indexes = [models.Index(fields=["area", "start"]), models.Index(fields=["state"])]

    def __str__(self) -> str:
        if self.title:
            return self.title
        return f"{self.area} {timezone.localtime(self.start):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:detail", args=[self.pk])

    @property
    def is_counted(self) -> bool:
        return self.state in COUNTED_STATES


class Attendee(models.Model):
    """A person on a session's attendee list, kept only because they agreed to it."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("lớp")
    )
    name = models.CharField(_("họ và tên"), max_length=150, validators=[privacy_check])
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)
    age_group = models.CharField(
        _("nhóm tuổi"), max_length=12, choices=AgeGroup.choices, blank=True
    )
    consent = models.BooleanField(_("đồng ý lưu thông tin"))

    class Meta:
        verbose_name = _("người tham dự")
        verbose_name_plural = _("người tham dự")
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="attendee_has_consent"),
        ]

    def __str__(self) -> str:
        return self.name


class CheckIn(models.Model):
    """An attendee signing in on their own phone. One row per person per session.

    `person_key` is an HMAC of the normalised phone (or of the name and the device token), so the
    same person signing in twice counts once, and nothing readable is kept without consent.
    """

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("lớp")
    )
    person_key = models.CharField(_("khóa người tham dự"), max_length=64)
    name = models.CharField(_("họ và tên"), max_length=150, blank=True, validators=[privacy_check])
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)
    age_group = models.CharField(
        _("nhóm tuổi"), max_length=12, choices=AgeGroup.choices, blank=True
    )
    consent = models.BooleanField(_("đồng ý lưu thông tin"), default=False)
    created_at = models.DateTimeField(_("điểm danh lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["session", "person_key"], name="checkin_once"),
            models.CheckConstraint(
                condition=Q(consent=True) | (Q(name="") & Q(phone="")),
                name="checkin_personal_data_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("(ẩn danh)"))


def _photo_path(instance: "SessionPhoto", filename: str) -> str:
    return f"trainings/photos/{instance.session_id}/{uuid.uuid4().hex}{_suffix(filename)}"


def _thumbnail_path(instance: "SessionPhoto", filename: str) -> str:
    return f"trainings/photos/{instance.session_id}/thumbs/{uuid.uuid4().hex}.jpg"


def _document_path(instance: "Document", filename: str) -> str:
    return f"trainings/documents/{uuid.uuid4().hex}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    # The stored name never keeps what the uploader typed, only the checked type's extension.
    return "." + filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else ""


class SessionPhoto(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="photos", verbose_name=_("lớp")
    )
    file = models.FileField(_("ảnh"), upload_to=_photo_path, max_length=255)
    # A small JPEG for the lists (trainings.thumbnails); empty until made.
    thumbnail = models.FileField(
        _("ảnh thu nhỏ"), upload_to=_thumbnail_path, max_length=255, blank=True, editable=False
    )
    content_type = models.CharField(_("kiểu tệp"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng"))
    # SHA-256 of the bytes: a report sent again (a double tap, the outbox's resend) does not
    # store the same photo twice. Empty on photos stored before it was kept.
    digest = models.CharField(_("mã băm nội dung"), max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("người tải lên")
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh lớp học")
        verbose_name_plural = _("ảnh lớp học")

    def __str__(self) -> str:
        return self.file.name

    def get_absolute_url(self) -> str:
        return reverse("trainings:photo", args=[self.pk])

    def get_thumbnail_url(self) -> str:
        return reverse("trainings:photo-thumbnail", args=[self.pk])


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    PPTX = "pptx", "PowerPoint"
    XLSX = "xlsx", "Excel"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


class Document(models.Model):
    title = models.CharField(_("tên tài liệu"), max_length=200, validators=[privacy_check])
    description = models.TextField(_("mô tả"), blank=True, validators=[privacy_check])
    topics = models.ManyToManyField(
        Topic, related_name="documents", verbose_name=_("chủ đề"), blank=True
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="training_documents", verbose_name=_("đơn vị")
    )
    file = models.FileField(_("tệp"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=8, choices=DocumentKind.choices)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_documents",
        verbose_name=_("người tải lên"),
    )
    created_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)
    # The day the document was published (a past campaign's 193 documents are placed in it):
    # it counts on that day. Documents added before this field count on the day they were added.
    published_on = models.DateField(_("ngày phát hành"))

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:document-download", args=[self.pk])


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    ZALO = "zalo", "Zalo"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    WEBSITE = "website", _("Trang web")


class AwarenessPost(models.Model):
    platform = models.CharField(_("nền tảng"), max_length=12, choices=Platform.choices)
    url = models.URLField(_("đường dẫn"), max_length=500, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True, validators=[privacy_check])
    published_on = models.DateField(_("ngày đăng"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="awareness_posts",
        verbose_name=_("người đăng"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="awareness_posts", verbose_name=_("đơn vị")
    )
    reach = models.PositiveIntegerField(_("lượt tiếp cận"), null=True, blank=True)
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    # Whether the post makes its author a participating volunteer that day: not when an
    # official (a coordinator with no field role there) entered it. Decided once, at entry, so
    # the recompute of the tallies gives the same answer whatever roles change later.
    author_participates = models.BooleanField(_("tính người đăng là người tham gia"), default=True)

    class Meta:
        verbose_name = _("bài tuyên truyền")
        verbose_name_plural = _("bài tuyên truyền")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["area", "published_on"])]

    def __str__(self) -> str:
        return self.title or self.url


class SessionImport(Job):
    """A back-entry of past sessions from a spreadsheet: lands whole or not at all."""

    file = models.FileField(_("tệp"), upload_to="trainings/imports/", max_length=255)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="training_imports",
        verbose_name=_("địa bàn"),
        help_text=_("Mọi lớp trong tệp phải thuộc địa bàn này."),
    )
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    created_count = models.PositiveIntegerField(_("số lớp đã ghi"), default=0)
    # Every bad row and column, in Vietnamese (the job is then "invalid": nothing written).
    errors = models.JSONField(_("lỗi"), default=list, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("lần nhập lớp học")
        verbose_name_plural = _("lần nhập lớp học")

    def __str__(self) -> str:
        return self.original_name
