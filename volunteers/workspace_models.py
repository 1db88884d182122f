"""The ward coordinator's workspace: invitations, area assignments, import and export jobs.

Kept apart from models.py (users, roles, teams) and imported at its end, so that Django
registers these models under the volunteers app.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from core.jobs.progress import HasProgress

from .models import Role, Team


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A link (and its QR code) that lets a volunteer join a team, a limited number of times."""

    token = models.CharField(
        _("mã mời"), max_length=64, unique=True, default=_invitation_token, editable=False
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("tổ")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("địa bàn")
    )
    role = models.CharField(
        _("vai trò"),
        max_length=24,
        choices=[
            (Role.VOLUNTEER, Role.VOLUNTEER.label),
            (Role.TEAM_LEADER, Role.TEAM_LEADER.label),
        ],
        default=Role.VOLUNTEER,
    )
    max_uses = models.PositiveIntegerField(_("số lượt dùng tối đa"), default=30)
    use_count = models.PositiveIntegerField(_("đã dùng"), default=0)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lời mời tham gia tổ")
        verbose_name_plural = _("lời mời tham gia tổ")
        constraints = [
            models.CheckConstraint(
                condition=Q(use_count__lte=models.F("max_uses")), name="invitation_uses_capped"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} — {self.area}"

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.use_count < self.max_uses
            and self.expires_at > timezone.now()
        )

    @property
    def uses_left(self) -> int:
        return max(self.max_uses - self.use_count, 0)


class ReleaseReason(models.TextChoices):
    REMOVED = "removed", _("Cán bộ phường gỡ")
    HANDED_OVER = "handed_over", _("Bàn giao cho người khác")
    EXPIRED = "expired", _("Hết hạn")
    DEACTIVATED = "deactivated", _("Tình nguyện viên ngừng hoạt động")


class AssignmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        """Not released and not past their end date (expired rows count nowhere at once)."""
        day = on or timezone.localdate()
        return self.filter(released_at__isnull=True).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def for_field_user(self, user) -> "AssignmentQuerySet":
        """Given to the user directly or to a team where they hold an active field role."""
        from .models import FIELD_ROLES, Membership

        teams = Membership.objects.active().filter(
            user=user, role__in=FIELD_ROLES, team__isnull=False
        )
        return self.filter(Q(volunteer=user) | Q(team__in=teams.values("team_id")))


class Assignment(models.Model):
    """A residential group (or one household) given to a volunteer or a team, maybe until a day.

    Released rows stay as history: a handover releases the old row and points to the new one.
    `household_id` is a plain id because households sit above volunteers in the app order.
    """

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("tình nguyện viên"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("tổ"),
    )
    ward = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phường/xã"),
        limit_choices_to={"level": Level.WARD},
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("tổ dân phố"),
    )
    household_id = models.BigIntegerField(_("hộ gia đình"), null=True, blank=True, db_index=True)
    campaign_id = models.BigIntegerField(_("chiến dịch"), null=True, blank=True)
    campaign_label = models.CharField(_("đợt/chiến dịch"), max_length=150, blank=True)
    valid_until = models.DateField(_("đến ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người giao"),
    )
    created_at = models.DateTimeField(_("giao lúc"), auto_now_add=True)
    released_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    release_reason = models.CharField(
        _("lý do kết thúc"), max_length=16, choices=ReleaseReason.choices, blank=True
    )
    handed_over_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handed_over_from",
        verbose_name=_("bàn giao sang"),
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công địa bàn")
        verbose_name_plural = _("phân công địa bàn")
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer__isnull=False, team__isnull=True)
                | Q(volunteer__isnull=True, team__isnull=False),
                name="assignment_to_volunteer_xor_team",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=False, household_id__isnull=True)
                | Q(area__isnull=True, household_id__isnull=False),
                name="assignment_of_area_xor_household",
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "released_at"], name="assignment_ward_open"),
            models.Index(fields=["volunteer", "released_at"], name="assignment_volunteer_open"),
        ]

    def __str__(self) -> str:
        who = self.volunteer or self.team
        what = self.area or f"#{self.household_id}"
        return f"{what} → {who}"

    @property
    def assignee(self):
        return self.volunteer or self.team

    @property
    def is_active(self) -> bool:
        return self.released_at is None and (
            self.valid_until is None or self.valid_until >= timezone.localdate()
        )


class JobStatus(models.TextChoices):
    PREVIEW = "preview", _("Chờ xác nhận")
    INVALID = "invalid", _("Có lỗi, chưa nhập")
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")


class ImportKind(models.TextChoices):
    HOUSEHOLDS = "households", _("Hộ gia đình")
    VOLUNTEERS = "volunteers", _("Tình nguyện viên")
    VISITS = "visits", _("Lượt thăm (nhập bù)")
    GROUPS = "groups", _("Tổ dân phố/thôn")


class ExportKind(models.TextChoices):
    HOUSEHOLDS = "households", _("Hộ gia đình")
    VOLUNTEERS = "volunteers", _("Tình nguyện viên")
    TEAMS = "teams", _("Tổ CNS")
    VISITS = "visits", _("Lượt thăm")


class ImportJob(HasProgress, models.Model):
    """One uploaded file: previewed, confirmed, then written in one transaction by a worker."""

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ImportKind.choices)
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    # The file itself, in the database so that any worker on any machine can read it.
    content = models.BinaryField(_("nội dung tệp"))
    sha256 = models.CharField(_("mã băm"), max_length=64, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.PREVIEW
    )
    total = models.PositiveIntegerField(_("số dòng"), default=0)
    processed = models.PositiveIntegerField(_("đã xử lý"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    # The previewed rows, cleaned, for importers that can resume from them (no second parse).
    records = models.JSONField(_("các dòng đã kiểm tra"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    # The last sign of life of a queued or running job (volunteers.stalled_jobs).
    heartbeat_at = models.DateTimeField(_("lần cuối còn chạy"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.filename}"


class ExportJob(HasProgress, models.Model):
    """A list written to a file by a worker, then downloaded by whoever asked for it."""

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ExportKind.choices)
    fmt = models.CharField(
        _("định dạng"), max_length=8, choices=[("csv", "CSV"), ("xlsx", "Excel (xlsx)")]
    )
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người xuất"),
    )
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("số dòng"), default=0)
    processed = models.PositiveIntegerField(_("đã xử lý"), default=0)
    path = models.CharField(_("tệp kết quả"), max_length=500, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    # The last sign of life of a queued or running job (volunteers.stalled_jobs).
    heartbeat_at = models.DateTimeField(_("lần cuối còn chạy"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xuất dữ liệu")
        verbose_name_plural = _("lượt xuất dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt})"

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.ward.code}-{self.created_at:%Y%m%d-%H%M}.{self.fmt}"
