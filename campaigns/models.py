"""Campaigns, their targets, and the summary tables their live totals are read from.

A campaign is a period and a scope over the tree: its numbers are the tallies of the areas in
its scope on the days of its period, never typed. The tallies are kept in step with the records
by `campaigns.tallies` (a receiver of `core.activity.activity_changed`), at every level of
the tree, so a dashboard reads a few rows per area and day whatever the number of visits.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import LEGACY_LAST_DAY, REFORM_DATE, Area, Era
from core.activity import PARTICIPATIONS, Indicator
from core.jobs.progress import HasProgress

# Every figure a campaign can track: the recorded indicators and the derived participations.
TALLY_FIELDS: list[str] = [*Indicator.values, PARTICIPATIONS]
INDICATOR_LABELS: dict[str, str] = {
    **dict(Indicator.choices),
    PARTICIPATIONS: _("Lượt đoàn viên thanh niên tham gia"),
}
INDICATOR_CHOICES = [(key, INDICATOR_LABELS[key]) for key in TALLY_FIELDS]


def _count_field(label) -> models.BigIntegerField:
    return models.BigIntegerField(label, default=0, db_default=0)


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    ACTIVE = "active", _("Đang diễn ra")
    CLOSED = "closed", _("Đã kết thúc")


def default_indicators() -> list[str]:
    return list(TALLY_FIELDS)


class CampaignQuerySet(models.QuerySet):
    def visible_in(self, scope) -> "CampaignQuerySet":
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
    name = models.CharField(_("tên chiến dịch"), max_length=200)
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True)
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

    def save(self, *args, **kwargs) -> None:
        if self.scope_id:
            self.era = Area.objects.values_list("era", flat=True).get(pk=self.scope_id)
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
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
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


class IndicatorCounts(models.Model):
    """One count column per recorded indicator (core.activity.Indicator)."""

    households_visited = _count_field(Indicator.HOUSEHOLDS_VISITED.label)
    install_guidance = _count_field(Indicator.INSTALL_GUIDANCE.label)
    level1_activations = _count_field(Indicator.LEVEL1_ACTIVATIONS.label)
    level2_activations = _count_field(Indicator.LEVEL2_ACTIVATIONS.label)
    dossiers_total = _count_field(Indicator.DOSSIERS_TOTAL.label)
    dossiers_eid = _count_field(Indicator.DOSSIERS_EID.label)
    dossiers_online = _count_field(Indicator.DOSSIERS_ONLINE.label)
    other_help = _count_field(Indicator.OTHER_HELP.label)
    trainings_held = _count_field(Indicator.TRAININGS_HELD.label)
    training_attendees = _count_field(Indicator.TRAINING_ATTENDEES.label)
    documents_added = _count_field(Indicator.DOCUMENTS_ADDED.label)
    awareness_posts = _count_field(Indicator.AWARENESS_POSTS.label)

    class Meta:
        abstract = True


class AreaDayTally(IndicatorCounts):
    """The counts of one area (at ANY level: its whole subtree) on one day.

    `volunteer_participations` is the number of distinct volunteers active in the subtree that
    day (plus event check-ins sent as that key), so it is not the sum of the children's.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    volunteer_participations = _count_field(_("Lượt đoàn viên thanh niên tham gia"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số liệu địa bàn theo ngày")
        verbose_name_plural = _("số liệu địa bàn theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["area", "day"], name="area_day_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}"


class VolunteerDayTally(IndicatorCounts):
    """What one volunteer did in one area (any level) on one day: participations and the
    team → volunteer drill-down. `activity` is the sum of all counts, presence included (> 0
    means active)."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # Records the volunteer took part in that day (core.activity.PRESENCE).
    presence = models.BigIntegerField(default=0, db_default=0)
    activity = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("số liệu tình nguyện viên theo ngày")
        verbose_name_plural = _("số liệu tình nguyện viên theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day", "volunteer"], name="volunteer_day_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.area_id} {self.day}"


class CampaignAreaTally(IndicatorCounts):
    """A campaign's running totals for one area (any level inside its scope) over its period.

    Kept in step by `campaigns.tallies` with every delta on a day of the period, and refilled
    set-based from the day tallies when the campaign is created or its period or scope
    changes. `unique_volunteers` counts the CampaignVolunteerTally rows of the same campaign
    and area with `active_days` > 0, moved when one turns active or inactive: the dashboard
    reads one row per area shown, whatever the number of visits, volunteers or days.
    `revision` grows by one with every change, so it versions the cached dashboard.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    volunteer_participations = _count_field(_("Lượt đoàn viên thanh niên tham gia"))
    unique_volunteers = _count_field(_("Số đoàn viên thanh niên tham gia"))
    revision = models.BigIntegerField(default=0, db_default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số liệu chiến dịch theo địa bàn")
        verbose_name_plural = _("số liệu chiến dịch theo địa bàn")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "area"], name="campaign_area_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.area_id}"


class CampaignVolunteerTally(IndicatorCounts):
    """What one volunteer did in one area (any level inside the scope) during a campaign:
    `active_days` is the number of days with any activity (their participations), the counts
    are the team → volunteer drill-down."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    active_days = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("số liệu chiến dịch theo tình nguyện viên")
        verbose_name_plural = _("số liệu chiến dịch theo tình nguyện viên")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "area", "volunteer"], name="campaign_volunteer_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.area_id} {self.volunteer_id}"


class TallyJournal(models.Model):
    """Deltas recorded but not yet folded into the summary tables (append-only).

    A recording transaction only INSERTs here (one multi-row statement, no shared row
    touched); `campaigns.tallies.tallies_fold` moves the rows into the tables in batches and
    deletes them in the same transaction. Plain ids, no foreign keys: an INSERT takes no lock on
    the area or user rows.
    """

    area_id = models.BigIntegerField()
    day = models.DateField()
    volunteer_id = models.BigIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số liệu chờ cộng dồn")
        verbose_name_plural = _("số liệu chờ cộng dồn")

    def __str__(self) -> str:
        return f"{self.area_id} {self.day} {self.counts}"


class DriftReport(models.Model):
    """The nightly comparison of the tallies with a recompute from the raw records."""

    checked_at = models.DateTimeField(_("thời điểm kiểm tra"), default=timezone.now)
    area_rows = models.PositiveIntegerField(_("số dòng địa bàn"), default=0)
    volunteer_rows = models.PositiveIntegerField(_("số dòng tình nguyện viên"), default=0)
    drift_count = models.PositiveIntegerField(_("số dòng lệch"), default=0)
    samples = models.JSONField(_("ví dụ lệch"), default=list, blank=True)

    class Meta:
        verbose_name = _("báo cáo sai lệch số liệu")
        verbose_name_plural = _("báo cáo sai lệch số liệu")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} — {self.drift_count}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Lỗi")


class ReportJob(HasProgress, models.Model):
    """The official xlsx report, made by a Celery task; progress is polled from this row."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reports", verbose_name=_("chiến dịch")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("địa bàn")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    processed = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    content = models.BinaryField(_("tệp"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    finished_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo chính thức")
        verbose_name_plural = _("báo cáo chính thức")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.area} ({self.get_status_display()})"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# A key outlives any session: it expires, 90 days at the most (and by default).
API_TOKEN_MAX_DAYS = 90


def api_token_default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=API_TOKEN_MAX_DAYS)


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
    name = models.CharField(_("tên"), max_length=100)
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
