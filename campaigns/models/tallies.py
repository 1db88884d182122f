"""The summary tables a campaign's live totals are read from, kept by campaigns.tallies."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.activity import Indicator

from .campaign import Campaign, count_field


class IndicatorCounts(models.Model):
    """One count column per recorded indicator (core.activity.Indicator)."""

    households_visited = count_field(Indicator.HOUSEHOLDS_VISITED.label)
    install_guidance = count_field(Indicator.INSTALL_GUIDANCE.label)
    level1_activations = count_field(Indicator.LEVEL1_ACTIVATIONS.label)
    level2_activations = count_field(Indicator.LEVEL2_ACTIVATIONS.label)
    dossiers_total = count_field(Indicator.DOSSIERS_TOTAL.label)
    dossiers_eid = count_field(Indicator.DOSSIERS_EID.label)
    dossiers_online = count_field(Indicator.DOSSIERS_ONLINE.label)
    other_help = count_field(Indicator.OTHER_HELP.label)
    trainings_held = count_field(Indicator.TRAININGS_HELD.label)
    training_attendees = count_field(Indicator.TRAINING_ATTENDEES.label)
    documents_added = count_field(Indicator.DOCUMENTS_ADDED.label)
    awareness_posts = count_field(Indicator.AWARENESS_POSTS.label)

    class Meta:
        abstract = True


class AreaDayTally(IndicatorCounts):
    """The counts of one area (at ANY level: its whole subtree) on one day.

    `volunteer_participations` is the number of distinct volunteers active in the subtree that
    day (plus event check-ins sent as that key), so it is not the sum of the children's.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    volunteer_participations = count_field(_("Lượt đoàn viên thanh niên tham gia"))
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
    volunteer_participations = count_field(_("Lượt đoàn viên thanh niên tham gia"))
    unique_volunteers = count_field(_("Số đoàn viên thanh niên tham gia"))
    # Distinct households reached (a counted visit that met someone) in the period: the
    # CampaignHouseholdTally rows of the same campaign and area with `visits` > 0, moved as
    # unique_volunteers is. Coverage reads it instead of the period's visits.
    households_reached = count_field(_("Số hộ được tiếp cận"))
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


class CampaignHouseholdTally(models.Model):
    """How many counted visits that met someone one household had in one area (any level
    inside the scope) during a campaign. A row turning positive adds one to the campaign
    area's `households_reached`, one returning to zero takes it back, so the distinct count
    is exact at every level without reading the visits. Plain household id, no foreign key:
    the row follows the deltas, as the journal does."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    household_id = models.BigIntegerField()
    visits = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("số liệu chiến dịch theo hộ")
        verbose_name_plural = _("số liệu chiến dịch theo hộ")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "area", "household_id"],
                name="campaign_household_tally_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.area_id} {self.household_id}"


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
    # The household a visit's delta reached (ActivityDelta.household_id), for coverage.
    household_id = models.BigIntegerField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số liệu chờ cộng dồn")
        verbose_name_plural = _("số liệu chờ cộng dồn")

    def __str__(self) -> str:
        return f"{self.area_id} {self.day} {self.counts}"


class DriftKind(models.TextChoices):
    TALLIES = "tallies", _("Bảng tổng hợp chiến dịch")
    REGISTRY = "registry", _("Số hộ và nhân khẩu theo tổ")


class DriftReport(models.Model):
    """A nightly comparison of kept counts with a recount from the records they follow: the
    summary tables against the raw records (`tallies`), and households' per-group registry
    counts against the households (`registry`)."""

    kind = models.CharField(
        _("loại kiểm tra"),
        max_length=16,
        choices=DriftKind.choices,
        default=DriftKind.TALLIES,
        db_default=DriftKind.TALLIES,
    )
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
        return f"{self.kind} {self.checked_at:%Y-%m-%d %H:%M} — {self.drift_count}"
