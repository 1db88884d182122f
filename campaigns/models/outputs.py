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


class ServiceAccount(models.Model):
    """A system (the city's IOC) that reads the API on its own, not as a person: it sees one
    area and its subtree, whoever made it. Made, rotated and revoked by the city union over
    that area (volunteers.authority, rule registered in CampaignsConfig.ready)."""

    name = models.CharField(_("tên hệ thống"), max_length=100, validators=[privacy_check])
    scope = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("phạm vi")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản hệ thống")
        verbose_name_plural = _("tài khoản hệ thống")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A read-only key. Only the hash is stored. It belongs either to a person (it sees what
    its user sees, while they hold a coordination role with the second factor it requires) or
    to a service account (it sees the account's area and its subtree).

    It works while unexpired and unrevoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
        null=True,
        blank=True,
    )
    service_account = models.ForeignKey(
        ServiceAccount,
        on_delete=models.CASCADE,
        related_name="tokens",
        verbose_name=_("tài khoản hệ thống"),
        null=True,
        blank=True,
    )
    name = models.CharField(_("tên"), max_length=100, validators=[privacy_check])
    prefix = models.CharField(_("tiền tố"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), default=api_token_default_expiry)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, service_account__isnull=False)
                | models.Q(user__isnull=False, service_account__isnull=True),
                name="api_token_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "tn_" + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired
