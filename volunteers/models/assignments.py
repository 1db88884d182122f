"""Invitations to a team and assignments of areas: the rules households and trainings follow."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from core.privacy import privacy_check

from .people import Role, Team


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
        from .people import FIELD_ROLES, Membership

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
    campaign_label = models.CharField(
        _("đợt/chiến dịch"), max_length=150, blank=True, validators=[privacy_check]
    )
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
