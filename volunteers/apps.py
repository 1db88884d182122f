from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Tình nguyện viên và vai trò")

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .access import COORDINATION
        from .home import HomeSection, register_home_section

        # Coordinators land on their workspace from home, not only from the menu.
        register_home_section(
            HomeSection(
                template="volunteers/_home_workspace.html",
                roles=COORDINATION,
                context=lambda user: {},
                order=10,
            )
        )
