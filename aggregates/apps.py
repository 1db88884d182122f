from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AggregatesConfig(AppConfig):
    name = "aggregates"
    verbose_name = _("Số liệu tổng hợp theo ngày")

    def ready(self) -> None:
        from core.activity import activity_source_register

        from .services import tally_activity_source

        activity_source_register("aggregates", tally_activity_source)
