"""A campaign (a period and a scope over the tree) and its targets, and the figures it tracks."""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from areas.models import LEGACY_LAST_DAY, REFORM_DATE, Area, Era
from core.activity import PARTICIPATIONS, Indicator
from core.privacy import privacy_check

if TYPE_CHECKING:
    from volunteers.scoping import Scope

# Every figure a campaign can track: the recorded indicators and the derived participations.
TALLY_FIELDS: list[str] = [*Indicator.values, PARTICIPATIONS]
INDICATOR_LABELS: dict[str, str] = {
    **dict(Indicator.choices),
    PARTICIPATIONS: _("Lượt đoàn viên thanh niên tham gia"),
}
INDICATOR_CHOICES = [(key, INDICATOR_LABELS[key]) for key in TALLY_FIELDS]


def count_field(label: str | Promise) -> models.BigIntegerField:
    return models.BigIntegerField(label, default=0, db_default=0)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    ACTIVE = "active", _("Đang diễn ra")
    CLOSED = "closed", _("Đã kết thúc")


def default_indicators() -> list[str]:
    return list(TALLY_FIELDS)


class CampaignQuerySet(models.QuerySet):
    def visible_in(self, scope: "Scope") -> "CampaignQuerySet":
        """Campaigns whose scope overlaps `scope` (a volunteers.scoping.Scope): a ward
        coordinator sees the city's campaign (its own ward's part of it), the city sees all."""
        if scope.everything:
            return self
        condition = Q(pk__in=[])
        for path in scope.paths:
            ancestors = [path[:end] for end in range(Area.steplen, len(path) + 1, Area.steplen)]
            condition |= Q(scope__path__startswith=path) | Q(scope__path__in=ancestors)
        return self.filter(condition)


class Campaign(models.Model):
    name = models.CharField(_("tên chiến dịch"), max_length=200, validators=[privacy_check])
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True, validators=[privacy_check])
    start = models.DateField(_("ngày bắt đầu"))
    end = models.DateField(_("ngày kết thúc"))
    scope = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("phạm vi")
    )
    era = models.CharField(_("giai đoạn"), max_length=8, choices=Era.choices, editable=False)
    indicators = models.JSONField(_("chỉ tiêu theo dõi"), default=default_indicators)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
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
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # The last recount of its figures asked for (campaigns.recount): set in the transaction that
    # moved its period or scope, so a page that loads the campaign knows, without a query of
    # its own, whether its figures may be read. Written only by that UPDATE (see save()).
    latest_recount = models.ForeignKey(
        "campaigns.CampaignRecount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("lượt tính lại gần nhất"),
    )

    objects = CampaignQuerySet.as_manager()

    # What the campaign's summary rows depend on, as last loaded or saved: a change of any of
    # them refills CampaignAreaTally / CampaignVolunteerTally (campaigns.tallies).
    _tally_key: tuple | None = None

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = _("chiến dịch")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="campaign_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.scope_id:
            self.era = Area.objects.values_list("era", flat=True).get(pk=self.scope_id)
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            # A campaign loaded before a recount was asked for must not write its stale
            # latest_recount back (the figures would read as final while being recounted).
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "latest_recount"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        unknown = [key for key in self.indicators or [] if key not in TALLY_FIELDS]
        if unknown or not self.indicators:
            raise ValidationError({"indicators": _("Chọn ít nhất một chỉ tiêu hợp lệ.")})
        if self.scope_id and self.start and self.end:
            era = self.scope.era
            # A rollup uses the tree as it stood: records before the reform sit on legacy
            # units, records after it on current ones. A period across both would miss half.
            if era == Era.LEGACY and self.end > LEGACY_LAST_DAY:
                raise ValidationError(
                    {
                        "end": _(
                            "Phạm vi theo địa giới cũ: chiến dịch phải kết thúc trước 01/7/2025."
                        )
                    }
                )
            if era == Era.CURRENT and self.start < REFORM_DATE:
                raise ValidationError(
                    {"start": _("Phạm vi theo địa giới mới: chiến dịch bắt đầu từ 01/7/2025.")}
                )

    @classmethod
    def from_db(
        cls,
        db: str,
        field_names: Sequence[str],
        values: Sequence[object],
        *,
        fetch_mode: object = None,
    ) -> "Campaign":
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if {"start", "end", "scope_id"} <= set(field_names):
            instance._tally_key = instance.tally_key()
        return instance

    def tally_key(self) -> tuple:
        return (self.start, self.end, self.scope_id)

    @property
    def tracked(self) -> list[str]:
        return [key for key in TALLY_FIELDS if key in (self.indicators or [])]

    def days(self) -> list[datetime.date]:
        count = (self.end - self.start).days + 1
        return [self.start + datetime.timedelta(days=offset) for offset in range(count)]


class Target(models.Model):
    """A chỉ tiêu: how many of an indicator an area should reach during a campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("chiến dịch")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn")
    )
    indicator = models.CharField(_("chỉ tiêu"), max_length=32, choices=INDICATOR_CHOICES)
    value = models.PositiveBigIntegerField(_("mục tiêu"))
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "area", "indicator"], name="target_unique_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} — {self.get_indicator_display()}: {self.value}"
