from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Không gian làm việc của cán bộ phường")

    def ready(self) -> None:
        from volunteers.access import COORDINATION
        from volunteers.home import HomeSection, register_home_section

        # Coordinators land on their workspace from home, not only from the menu.
        register_home_section(
            HomeSection(
                template="workspace/_home.html",
                roles=COORDINATION,
                context=lambda user: {},
                order=10,
            )
        )
