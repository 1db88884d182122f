from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        # Registers the one job task with Celery in every process (web and worker): the
        # runner finds it by name, and autodiscovery looks only at core.tasks.
        from .jobs import tasks  # noqa: F401
