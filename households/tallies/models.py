"""Tallies: work recorded as counts per unit and day (as DHIS2's aggregate data sets do).

Most teams' past work exists only as daily counts per ward ("ward X, 12 March: 14 install
guidances, 3 level-1 …"), not as visits to named households. A Tally holds one such row: the
campaign indicators of one unit on one day, entered in the workspace's grid or imported from
one file for many units. It moves the summary tables through the activity contract
(core.activity), as a visit does, so the dashboards, the report and the API count it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from core.activity import Indicator

# The counts a tally holds, in the order of the grid and the import's columns. Dossiers are
# entered by kind (as a visit records them); their total is derived.
COUNT_FIELDS = (
    "households_visited",
    "install_guidance",
    "level1_activations",
    "level2_activations",
    "dossiers_eid",
    "dossiers_online",
    "dossiers_other",
    "other_help",
    "volunteer_days",
)


class TallySource(models.TextChoices):
    GRID = "grid", _("Nhập trên lưới")
    IMPORT = "import", _("Nhập từ tệp")


def _count(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


class Tally(models.Model):
    """The counts of one unit (any level) on one day. One row per (unit, day): editing
    replaces it, a repeated import finds it and never adds twice."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn")
    )
    day = models.DateField(_("ngày"))
    households_visited = _count(Indicator.HOUSEHOLDS_VISITED.label)
    install_guidance = _count(Indicator.INSTALL_GUIDANCE.label)
    level1_activations = _count(Indicator.LEVEL1_ACTIVATIONS.label)
    level2_activations = _count(Indicator.LEVEL2_ACTIVATIONS.label)
    dossiers_eid = _count(Indicator.DOSSIERS_EID.label)
    dossiers_online = _count(Indicator.DOSSIERS_ONLINE.label)
    dossiers_other = _count(_("Hồ sơ khác"))
    other_help = _count(Indicator.OTHER_HELP.label)
    # Participations as volunteer-days (a volunteer active on a day): paper tallies count them,
    # they do not name them. The names, where known, are kept as written, never as accounts.
    volunteer_days = _count(_("Lượt đoàn viên thanh niên tham gia"))
    volunteer_names = models.TextField(_("tên tình nguyện viên"), blank=True)
    # The visits already recorded in the unit that day when the tally was confirmed to be
    # other work than they (0: there were none).
    visits_acknowledged = models.PositiveIntegerField(_("lượt thăm đã xác nhận"), default=0)
    source = models.CharField(
        _("nguồn"), max_length=8, choices=TallySource.choices, default=TallySource.GRID
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("bảng số liệu tổng hợp")
        verbose_name_plural = _("bảng số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["area", "day"], name="tally_area_day_unique"),
        ]
        indexes = [models.Index(fields=["day", "area"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}"

    @property
    def dossiers_total(self) -> int:
        return self.dossiers_eid + self.dossiers_online + self.dossiers_other

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}
