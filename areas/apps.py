from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = _("Địa bàn hành chính")

    def ready(self) -> None:
        from core.activity import activity_guard_register

        from .locks import deltas_lock_check

        # Every change of counts (a visit, its edit or review, a training, a document, a post,
        # an import row, a per-day tally) is refused on a day whose figures are frozen.
        activity_guard_register(deltas_lock_check)
