"""One row per area that holds households: how many, and how many people on their lists."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Area


class HouseholdCount(models.Model):
    """Derived from the households (`registry_recount`), never typed: the registry of one
    area as it stands."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, primary_key=True, related_name="+")
    households = models.BigIntegerField(_("số hộ"), default=0)
    members = models.BigIntegerField(_("số nhân khẩu"), default=0)
    # Moved by every recount: the cached pages that show the registry are versioned by it.
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("số hộ theo địa bàn")
        verbose_name_plural = _("số hộ theo địa bàn")

    def __str__(self) -> str:
        return f"{self.area_id}: {self.households}"
