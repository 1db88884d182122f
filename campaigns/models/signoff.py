"""Sign-off by level (DHIS2's data approval): a ward submits its figures for a period — a
campaign, or a calendar month outside campaigns — the level above approves them or returns them
with a reason, and the city closes the period. Submitted, approved and closed figures are frozen
through areas.PeriodLock rows, which campaigns.signoff keeps in step with these. Every change of
state is a SignOffEvent: who, when, from what, to what, why."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas.models import Area

from .campaign import Campaign


class SignOffState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("sign-off", "đã gửi")
    APPROVED = "approved", pgettext_lazy("sign-off", "đã duyệt")
    RETURNED = "returned", pgettext_lazy("sign-off", "trả lại")
    CLOSED = "closed", pgettext_lazy("sign-off", "đã khóa sổ")
    REOPENED = "reopened", pgettext_lazy("sign-off", "đã mở lại")


# What a unit without a sign-off shows.
NOT_SENT = "not_sent"
NOT_SENT_LABEL = pgettext_lazy("sign-off", "chưa gửi")
# The states whose figures are frozen.
FROZEN = frozenset({SignOffState.SUBMITTED, SignOffState.APPROVED, SignOffState.CLOSED})


class SignOffAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi số liệu")
    APPROVE = "approve", _("Duyệt")
    RETURN = "return", _("Trả lại")
    UNLOCK = "unlock", _("Mở khóa")
    CLOSE = "close", _("Khóa sổ")
    REOPEN = "reopen", _("Mở lại kỳ")


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


class SignOff(models.Model):
    """One unit's figures for one period: a ward's submission, or the city's closing."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signoffs",
        verbose_name=_("chiến dịch"),
    )
    month = models.DateField(_("tháng"), null=True, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=SignOffState.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    submitted_at = models.DateTimeField(_("gửi lúc"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("xác nhận số liệu")
        verbose_name_plural = _("xác nhận số liệu")
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=True, month__isnull=False)
                | Q(campaign__isnull=False, month__isnull=True),
                name="signoff_one_period",
            ),
            models.UniqueConstraint(
                fields=["campaign", "area"],
                condition=Q(campaign__isnull=False),
                name="signoff_unique_campaign_area",
            ),
            models.UniqueConstraint(
                fields=["month", "area"],
                condition=Q(month__isnull=False),
                name="signoff_unique_month_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.period_label} · {self.get_state_display()}"

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        if self.campaign_id:
            return self.campaign.start, self.campaign.end
        return month_bounds(self.month)

    @property
    def period_label(self) -> str:
        if self.campaign_id:
            return self.campaign.name
        return str(_("tháng %(month)s") % {"month": self.month.strftime("%m/%Y")})

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN

    @property
    def lock_key(self) -> str:
        return f"signoff:{self.pk}"


class SignOffEvent(models.Model):
    """The audit history of sign-offs: every change of state, refused ones never."""

    signoff = models.ForeignKey(
        SignOff, on_delete=models.CASCADE, related_name="events", verbose_name=_("xác nhận")
    )
    action = models.CharField(_("thao tác"), max_length=8, choices=SignOffAction.choices)
    from_state = models.CharField(_("từ trạng thái"), max_length=10, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=10)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lịch sử xác nhận")
        verbose_name_plural = _("lịch sử xác nhận")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.signoff} · {self.get_action_display()}"
