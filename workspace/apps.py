from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Không gian làm việc của cán bộ phường")

    def ready(self) -> None:
        from core.jobs.runner import job_kind_register
        from volunteers.access import COORDINATION
        from volunteers.home import HomeSection, register_home_section

        from .exports.jobs import EXPORT_JOBS
        from .imports.jobs import IMPORT_JOBS

        # The one runner (core.jobs) runs, retries and sweeps them; core imports no app.
        job_kind_register(IMPORT_JOBS)
        job_kind_register(EXPORT_JOBS)

        # Coordinators land on their workspace from home, not only from the menu.
        register_home_section(
            HomeSection(
                template="workspace/_home.html",
                roles=COORDINATION,
                context=lambda user: {},
                order=10,
            )
        )
