"""The coordinator's long jobs: an uploaded list imported, a list exported to a file.

The tables keep their first names (volunteers_importjob, volunteers_exportjob): they were
created by the volunteers app, and an existing installation upgrades by `migrate` alone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.jobs.progress import HasProgress


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
        db_table = "volunteers_importjob"
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
        db_table = "volunteers_exportjob"
        verbose_name = _("lượt xuất dữ liệu")
        verbose_name_plural = _("lượt xuất dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt})"

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.ward.code}-{self.created_at:%Y%m%d-%H%M}.{self.fmt}"
