"""The coordinator's long jobs: an uploaded list imported, a list exported to a file.

The tables keep their first names (volunteers_importjob, volunteers_exportjob): they were
created by the volunteers app, and an existing installation upgrades by `migrate` alone.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.jobs.models import Job, JobStatus

# JobStatus is core's, named here too: the workspace's pages and tests have always imported it
# from workspace.models.
__all__ = ["ExportJob", "ExportKind", "ImportJob", "ImportKind", "JobStatus"]


class ImportKind(models.TextChoices):
    HOUSEHOLDS = "households", _("Hộ gia đình")
    VOLUNTEERS = "volunteers", _("Tình nguyện viên")
    VISITS = "visits", _("Lượt thăm (nhập bù)")
    GROUPS = "groups", _("Tổ dân phố/thôn")
    TALLIES = "tallies", _("Số liệu tổng hợp theo ngày")
    POSTS = "posts", _("Bài tuyên truyền")


class ExportKind(models.TextChoices):
    HOUSEHOLDS = "households", _("Hộ gia đình")
    VOLUNTEERS = "volunteers", _("Tình nguyện viên")
    TEAMS = "teams", _("Tổ CNS")
    VISITS = "visits", _("Lượt thăm")


class ImportJob(Job):
    """One uploaded file: previewed, confirmed, then written in one transaction by a worker."""

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ImportKind.choices)
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã")
    )
    filename = models.CharField(_("tên tệp"), max_length=255)
    # The file itself, in the database so that any worker on any machine can read it.
    content = models.BinaryField(_("nội dung tệp"))
    sha256 = models.CharField(_("mã băm"), max_length=64, db_index=True)
    # An upload is checked first and waits for the coordinator's confirmation.
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.PREVIEW
    )
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    warnings = models.JSONField(_("lưu ý"), default=list, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    # False while a worker checks a big upload (the preview is a job too, with its bar).
    checked = models.BooleanField(_("đã kiểm tra"), default=True)
    # The previewed rows, cleaned, for importers that can resume from them (no second parse).
    records = models.JSONField(_("các dòng đã kiểm tra"), null=True, blank=True, editable=False)

    class Meta(Job.Meta):
        db_table = "volunteers_importjob"
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.filename}"


class ExportJob(Job):
    """A list written to a file by a worker, then downloaded by whoever asked for it."""

    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=ExportKind.choices)
    fmt = models.CharField(
        _("định dạng"), max_length=8, choices=[("csv", "CSV"), ("xlsx", "Excel (xlsx)")]
    )
    ward = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phường/xã")
    )
    filters = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    path = models.CharField(_("tệp kết quả"), max_length=500, blank=True)

    class Meta(Job.Meta):
        db_table = "volunteers_exportjob"
        verbose_name = _("lượt xuất dữ liệu")
        verbose_name_plural = _("lượt xuất dữ liệu")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt})"

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.ward.code}-{self.created_at:%Y%m%d-%H%M}.{self.fmt}"
