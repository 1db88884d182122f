"""What leaves the product: the official report's job, and the IOC's read-only API keys."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.jobs.models import Job
from core.privacy import privacy_check

from .campaign import Campaign


class ReportJob(Job):
    """The official xlsx report, made by the job runner; progress is polled from this row."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reports", verbose_name=_("chiến dịch")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("địa bàn")
    )
    content = models.BinaryField(_("tệp"), null=True, blank=True, editable=False)

    class Meta(Job.Meta):
        verbose_name = _("báo cáo chính thức")
        verbose_name_plural = _("báo cáo chính thức")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.area} ({self.get_status_display()})"


# A key outlives any session: it expires, 90 days at the most (and by default).
API_TOKEN_MAX_DAYS = 90


def api_token_default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=API_TOKEN_MAX_DAYS)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A read-only key for the IOC: it sees what its user sees. Only the hash is stored.

    It works while unexpired and unrevoked, and while its user still holds a coordination role
    (with the second factor that role requires)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    name = models.CharField(_("tên"), max_length=100, validators=[privacy_check])
    prefix = models.CharField(_("tiền tố"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), default=api_token_default_expiry)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "tn_" + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
