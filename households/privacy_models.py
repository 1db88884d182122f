"""A household's privacy records: its requests about its own data, and who saw its contact."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area


class PrivacyRequestKind(models.TextChoices):
    EXPORT = "export", _("Xem và tải dữ liệu")
    ERASURE = "erasure", _("Xoá dữ liệu")
    RETENTION = "retention", _("Xoá liên hệ khi hết thời hạn lưu")


class PrivacyRequest(models.Model):
    """A household's request about its own data (a copy, or erasure), and who answered it: the
    record the law asks for, kept after an erasure (it holds no personal data itself)."""

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="privacy_requests",
        verbose_name=_("hộ"),
    )
    kind = models.CharField(_("yêu cầu"), max_length=16, choices=PrivacyRequestKind.choices)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    handled_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        ordering = ["-handled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.get_kind_display()} · {self.handled_at:%Y-%m-%d}"


class ContactDoor(models.TextChoices):
    DETAIL = "detail", _("Trang hộ")
    EDIT = "edit", _("Trang sửa hộ")
    DATA_PAGE = "data_page", _("Trang dữ liệu của hộ")
    DATA_DOWNLOAD = "data_download", _("Tải dữ liệu của hộ")
    WARD_EXPORT = "ward_export", _("Tải danh sách hộ của phường/xã")


class ContactView(models.Model):
    """Who was shown a household's contact (name, phone), when, and through which door.

    Append-only: a row is written once and never changed; retention deletes old rows. A ward
    export is one row for the whole file (`household` empty, `ward` and `count` set)."""

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_views",
        verbose_name=_("hộ"),
    )
    ward = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phường/xã"),
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người xem"),
    )
    door = models.CharField(_("xem qua"), max_length=16, choices=ContactDoor.choices)
    count = models.PositiveIntegerField(_("số hộ"), default=1)
    viewed_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt xem liên hệ")
        verbose_name_plural = _("lượt xem liên hệ")
        ordering = ["-viewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(ward__isnull=False),
                name="contactview_household_or_ward",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id or self.ward_id} · {self.door} · {self.viewed_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("ContactView is append-only")
        super().save(*args, **kwargs)
