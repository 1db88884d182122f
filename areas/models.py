"""The administrative tree, effective-dated.

Two eras coexist: the tree before 1 July 2025 (province → district → ward) and the two-tier
tree after it (province → commune). Official codes are reused across eras, so a unit is
identified by (era, code). Residential groups (tổ dân phố / thôn) hang below wards in either era.
The tree is a materialised path (treebeard MP_Node): a subtree is one `path LIKE 'x%'` query.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.text import search_key

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_LAST_DAY = datetime.date(2025, 6, 30)


class Era(models.TextChoices):
    LEGACY = "legacy", _("Trước 01/7/2025 (có cấp huyện)")
    CURRENT = "current", _("Từ 01/7/2025 (hai cấp)")


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Tỉnh/thành phố")
    DISTRICT = 2, _("Quận/huyện")
    WARD = 3, _("Phường/xã")
    GROUP = 4, _("Tổ dân phố/thôn")


class Kind(models.TextChoices):
    CITY = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    PROVINCE = "tinh", _("Tỉnh")
    URBAN_DISTRICT = "quan", _("Quận")
    RURAL_DISTRICT = "huyen", _("Huyện")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh")
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Tổ dân phố")
    VILLAGE = "thon", _("Thôn/xóm")


class AreaQuerySet(MP_NodeQuerySet):
    def subtree_of_paths(self, paths: list[str]) -> "AreaQuerySet":
        """Units at or below any of `paths`: one query, however many roots."""
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def matching(self, text: str) -> "AreaQuerySet":
        """Accent-insensitive search on every word of `text`."""
        queryset = self
        for word in search_key(text).split():
            queryset = queryset.filter(search_key__contains=word)
        return queryset

    def valid_on(self, day: datetime.date) -> "AreaQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def of_era(self, era: str) -> "AreaQuerySet":
        return self.filter(era=era)


class AreaManager(MP_NodeManager.from_queryset(AreaQuerySet)):
    def get_queryset(self) -> AreaQuerySet:
        # treebeard's manager builds its own QuerySet class; keep ours and its tree order.
        return AreaQuerySet(self.model, using=self._db).order_by("path")


class Area(MP_Node):
    steplen = 4

    code = models.CharField(_("mã"), max_length=32)
    era = models.CharField(_("giai đoạn"), max_length=8, choices=Era.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=200, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = AreaManager()

    class Meta:
        verbose_name = _("địa bàn")
        verbose_name_plural = _("địa bàn")
        constraints = [
            models.UniqueConstraint(fields=["era", "code"], name="area_code_unique_per_era"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="area_valid_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["era", "level"]),
            models.Index(fields=["search_key"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("areas:detail", args=[self.pk])

    @property
    def is_group(self) -> bool:
        return self.level == Level.GROUP

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and every unit above it, computed without a query."""
        return [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]

    def ancestors_and_self(self) -> AreaQuerySet:
        """One query: every unit from the root down to this one."""
        return Area.objects.filter(path__in=self.ancestor_paths()).order_by("depth")


class AreaSuccession(models.Model):
    """An old unit became (all or part of) a new one on the reform date."""

    predecessor = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="successions", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("đơn vị mới")
    )
    is_partial = models.BooleanField(
        _("chỉ một phần"),
        default=False,
        help_text=_("Đơn vị cũ bị chia cho nhiều đơn vị mới: số liệu quy đổi là gần đúng."),
    )
    effective_on = models.DateField(_("ngày hiệu lực"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="area_succession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class PeriodLock(models.Model):
    """The figures of `area` (and every unit below it) for the days `start`–`end` are frozen:
    they were submitted, approved or closed by a sign-off above (campaigns keeps these rows
    in step with its sign-offs through `owner_key`). Nothing recorded on those days in that
    subtree may be added, changed or removed until the approving level unlocks it
    (`areas.locks.period_lock_refusal`)."""

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="period_locks", verbose_name=_("địa bàn")
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    label = models.CharField(_("kỳ báo cáo"), max_length=300)
    owner_key = models.CharField(_("nguồn khóa"), max_length=64, db_index=True)
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ đã khóa số liệu")
        verbose_name_plural = _("kỳ đã khóa số liệu")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="period_lock_ordered"
            ),
        ]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return f"{self.area} · {self.label} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"
