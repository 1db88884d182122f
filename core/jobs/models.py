"""The one job base: every long task (imports, exports, reports) is a row of a model built on it.

Abstract, so each kind keeps its own table and its own fields (the file, the rows, the result);
what the runner, the stalled-job sweep and the progress partial need is here, spelled once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .progress import HasProgress


class JobStatus(models.TextChoices):
    # preview/invalid only happen to imports: checked before anything runs.
    PREVIEW = "preview", _("Chờ xác nhận")
    INVALID = "invalid", _("Có lỗi, chưa nhập")
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")


# A worker may claim these; the others are finished or wait for a person.
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.INVALID)


class Job(HasProgress, models.Model):
    """Status, counters, attempts, heartbeat, who and when: what every job kind shares."""

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    processed = models.PositiveIntegerField(_("đã xử lý"), default=0)
    # Runs claimed so far: a worker that dies mid-run leaves it counted (core.jobs.runner).
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    # The last sign of life of a running job: a job silent for minutes is sent again.
    heartbeat_at = models.DateTimeField(_("lần cuối còn chạy"), null=True, blank=True)
    # SET_NULL: a person leaving does not delete the work done in their name.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    # Why the job failed, in Vietnamese, for the person who asked (the trace is in the logs).
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
