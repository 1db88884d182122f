"""Households and the visits volunteers log at their doors: the source of every number above."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Level
from core.privacy import privacy_check


class DigitalStatus(models.TextChoices):
    """The household's digital status chain. It moves forward one step at a time; it steps
    back only when a coordinator rejects the visit that made the last step."""

    NONE = "none", _("Chưa có VNeID")
    APP_INSTALLED = "app_installed", _("Đã cài ứng dụng VNeID")
    LEVEL1 = "level1", _("Đã kích hoạt định danh mức 1")
    LEVEL2_REGISTERED = "level2_registered", _("Đã đăng ký mức 2 tại công an")
    LEVEL2_ACTIVATED = "level2_activated", _("Đã kích hoạt định danh mức 2")
    USES_ONLINE_SERVICES = "uses_online_services", _("Sử dụng dịch vụ công trực tuyến")


STATUS_CHAIN: list[str] = [choice.value for choice in DigitalStatus]


def status_rank(status: str) -> int:
    return STATUS_CHAIN.index(status)


def status_next(status: str) -> str | None:
    rank = status_rank(status)
    return STATUS_CHAIN[rank + 1] if rank + 1 < len(STATUS_CHAIN) else None


class ConsentMethod(models.TextChoices):
    """How the household said yes to keeping its contact: set by the door that recorded it."""

    IN_PERSON = "in_person", _("Trực tiếp tại nhà")
    PHONE = "phone", _("Qua điện thoại")
    IMPORT = "import", _("Trong danh sách được nhập")


class HouseholdQuerySet(models.QuerySet):
    def matching(self, text: str) -> "HouseholdQuerySet":
        """Accent-insensitive search on every word of `text` (address, contact, group)."""
        from core.text import search_key

        queryset = self
        for word in search_key(text).split():
            queryset = queryset.filter(search_key__contains=word)
        return queryset


class Household(models.Model):
    # No index of its own: the (area, …) indexes below lead with it.
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("tổ dân phố/thôn"),
        limit_choices_to={"level": Level.GROUP},
        db_index=False,
    )
    client_uuid = models.UUIDField(_("mã tạo trên máy"), null=True, blank=True, unique=True)
    fingerprint = models.CharField(_("dấu nội dung gửi lên"), max_length=64, blank=True)
    house_number = models.CharField(
        _("số nhà"), max_length=40, blank=True, validators=[privacy_check]
    )
    alley = models.CharField(
        _("ngõ/ngách/hẻm"), max_length=120, blank=True, validators=[privacy_check]
    )
    street = models.CharField(
        _("đường/phố"), max_length=120, blank=True, validators=[privacy_check]
    )
    apartment = models.CharField(
        _("căn hộ/phòng trọ"), max_length=120, blank=True, validators=[privacy_check]
    )
    contact_name = models.CharField(
        _("tên người liên hệ"), max_length=120, blank=True, validators=[privacy_check]
    )
    contact_phone = models.CharField(_("số điện thoại liên hệ"), max_length=16, blank=True)
    consent_at = models.DateTimeField(_("đồng ý lưu liên hệ lúc"), null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận đồng ý"),
    )
    # Blank on households consented before this was recorded (shown as "not known").
    consent_method = models.CharField(
        _("cách hộ đồng ý"), max_length=16, choices=ConsentMethod.choices, blank=True
    )
    members = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    notes = models.TextField(_("ghi chú"), blank=True, validators=[privacy_check])
    digital_status = models.CharField(
        _("tình trạng số"), max_length=24, choices=DigitalStatus.choices, default=DigitalStatus.NONE
    )
    address_key = models.CharField(_("khóa địa chỉ"), max_length=300, editable=False)
    search_key = models.CharField(_("khóa tìm kiếm"), max_length=500, editable=False)
    # Street, then the place along it (households.addresses): the order a volunteer walks in.
    walk_key = models.CharField(_("khóa thứ tự đi"), max_length=160, editable=False, blank=True)
    # Kept by visit_record so the list filters "not yet visited" without a join per row.
    last_visit_at = models.DateTimeField(_("lần thăm gần nhất"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_name="", contact_phone="") | Q(consent_at__isnull=False),
                name="household_contact_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(digital_status__in=STATUS_CHAIN), name="household_status_valid"
            ),
        ]
        # None holds last_visit_at: every visit raises it, and an index holding it would make
        # that UPDATE non-HOT (a new entry in each of this table's indexes, per visit).
        indexes = [
            models.Index(fields=["area", "address_key"]),
            models.Index(fields=["area", "walk_key"]),
        ]

    def __str__(self) -> str:
        return self.address or str(self.pk)

    def get_absolute_url(self) -> str:
        return reverse("households:detail", args=[self.pk])

    @property
    def address(self) -> str:
        parts = [self.apartment, self.house_number, self.alley, self.street]
        return ", ".join(part for part in parts if part)

    @property
    def next_status(self) -> str | None:
        return status_next(self.digital_status)

    def get_next_status_display(self) -> str:
        following = self.next_status
        return DigitalStatus(following).label if following else ""


class HouseholdChange(models.Model):
    """Who created or changed a household, and what changed (old → new per field)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="changes", verbose_name=_("hộ")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người thay đổi"),
    )
    changed_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    changes = models.JSONField(_("thay đổi"), default=dict)

    class Meta:
        verbose_name = _("lịch sử hộ")
        verbose_name_plural = _("lịch sử hộ")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.changed_at:%Y-%m-%d %H:%M}"


class StatusChange(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("hộ")
    )
    from_status = models.CharField(_("từ"), max_length=24, choices=DigitalStatus.choices)
    to_status = models.CharField(_("sang"), max_length=24, choices=DigitalStatus.choices)
    visit = models.ForeignKey(
        "Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("lượt thăm"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    changed_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi tình trạng số")
        verbose_name_plural = _("thay đổi tình trạng số")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class VisitResult(models.TextChoices):
    HELPED = "helped", _("Đã hỗ trợ")
    NOT_HOME = "not_home", _("Không có nhà")
    REFUSED = "refused", _("Từ chối")
    COME_BACK = "come_back", _("Hẹn quay lại")


class VisitStatus(models.TextChoices):
    OK = "ok", _("Hợp lệ")
    PENDING_REVIEW = "pending_review", _("Chờ kiểm tra")
    REJECTED = "rejected", _("Bị loại")
    # Taken back by its author within the edit window (a mistaken visit): kept for the audit,
    # counted nowhere.
    WITHDRAWN = "withdrawn", _("Đã rút lại")


# The statuses of visits that count in no tally (every total reads `Visit.objects.counted()`).
UNCOUNTED_STATUSES: tuple[str, ...] = (VisitStatus.REJECTED, VisitStatus.WITHDRAWN)


class VisitQuerySet(models.QuerySet):
    def counted(self) -> "VisitQuerySet":
        """Visits that count: neither rejected by a coordinator nor withdrawn by their author."""
        return self.exclude(status__in=UNCOUNTED_STATUSES)

    def reaching(self) -> "VisitQuerySet":
        """Counted visits that reached their household: someone was met (`Visit.reaches`)."""
        return self.counted().exclude(result=VisitResult.NOT_HOME)


# Counts of people helped during a visit, in the order the form shows them.
COUNT_FIELDS: list[str] = [
    "install_guidance",
    "level1_activations",
    "level2_coaching",
    "dossiers_eid",
    "dossiers_online",
    "dossiers_other",
    "e_payment",
    "online_shopping",
    "email",
    "info_safety",
]
OTHER_HELP_FIELDS: list[str] = ["e_payment", "online_shopping", "email", "info_safety"]


def _count(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=0)


class Visit(models.Model):
    # The phone makes the id; a unique constraint (not a lookup first) makes resends harmless.
    client_uuid = models.UUIDField(_("mã tạo trên máy"), unique=True)
    fingerprint = models.CharField(_("dấu nội dung gửi lên"), max_length=64)
    # Household, volunteer and area carry no index of their own: the composite indexes in Meta
    # lead with each, and every visit writes every index of this table.
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("hộ"),
        db_index=False,
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("tình nguyện viên"),
        db_index=False,
    )
    teammates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="visits_joined",
        verbose_name=_("cùng đi"),
    )
    device_time = models.DateTimeField(_("thời điểm trên máy"))
    received_at = models.DateTimeField(_("máy chủ nhận lúc"), auto_now_add=True)
    day = models.DateField(_("ngày tính"))
    # The leaf unit the visit counts in, as the tree stood that day (legacy groups before 2025).
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("địa bàn tính"),
        db_index=False,
    )
    result = models.CharField(_("kết quả"), max_length=16, choices=VisitResult.choices)
    install_guidance = _count(_("hướng dẫn cài VNeID"))
    level1_activations = _count(_("kích hoạt mức 1"))
    level2_coaching = _count(_("hướng dẫn kích hoạt mức 2"))
    dossiers_eid = _count(_("hồ sơ cấp, định danh điện tử"))
    dossiers_online = _count(_("hồ sơ trực tuyến"))
    dossiers_other = _count(_("hồ sơ khác"))
    e_payment = _count(_("thanh toán điện tử"))
    online_shopping = _count(_("mua bán trực tuyến"))
    email = _count(_("thư điện tử"))
    info_safety = _count(_("an toàn thông tin"))
    over_members_confirmed = models.BooleanField(
        _("xác nhận số người nhiều hơn nhân khẩu"), default=False
    )
    status_to = models.CharField(
        _("tình trạng số đạt được"),
        max_length=24,
        choices=DigitalStatus.choices,
        blank=True,
    )
    notes = models.CharField(_("ghi chú"), max_length=500, blank=True, validators=[privacy_check])
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.OK
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt thăm")
        verbose_name_plural = _("lượt thăm")
        ordering = ["-device_time", "-pk"]
        indexes = [
            models.Index(fields=["volunteer", "day"]),
            models.Index(fields=["household", "device_time"]),
            models.Index(fields=["area", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_result_display()} · {self.day}"

    @property
    def counted(self) -> bool:
        return self.status not in UNCOUNTED_STATUSES

    @property
    def reaches(self) -> bool:
        """Someone was met (helped, refused, asked to come back): everything but nobody at
        home. The one statement of the rule; `VisitQuerySet.reaching` is its query form."""
        return self.result != VisitResult.NOT_HOME

    @property
    def people_helped(self) -> int:
        return sum(getattr(self, name) for name in COUNT_FIELDS)


class VisitEdit(models.Model):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="edits", verbose_name=_("lượt thăm")
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    edited_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    changes = models.JSONField(_("thay đổi"), default=dict)

    class Meta:
        verbose_name = _("lịch sử sửa lượt thăm")
        verbose_name_plural = _("lịch sử sửa lượt thăm")
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.visit_id} · {self.edited_at:%Y-%m-%d %H:%M}"


# A household's privacy records live in their own module (this one stays under 400 lines);
# imported here so that `households.models` remains the one place to import models from.
from .privacy_models import (  # noqa: E402
    ContactDoor,
    ContactView,
    PrivacyRequest,
    PrivacyRequestKind,
)

__all__ = ["ContactDoor", "ContactView", "PrivacyRequest", "PrivacyRequestKind"]


# Tallies are kept beside the visits they must not double-count (households/tallies/).
# The registry's per-group counts, derived from the households (households/registry/).
from .registry.models import HouseholdCount  # noqa: E402, F401
from .tallies.models import Tally, TallySource  # noqa: E402, F401
