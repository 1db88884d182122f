from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Lớp kỹ năng số, tài liệu và tuyên truyền")

    def ready(self) -> None:
        from core.activity import activity_source_register
        from core.jobs.runner import job_kind_register
        from volunteers.access import FIELD
        from volunteers.home import HomeSection, register_home_section

        from .counting import SENDER, all_deltas
        from .home import field_home_context
        from .services.imports import SESSION_IMPORTS

        activity_source_register(SENDER, all_deltas)
        # The one runner (core.jobs) runs, retries and sweeps the back-entry imports.
        job_kind_register(SESSION_IMPORTS)
        register_home_section(
            HomeSection(
                template="trainings/_home_section.html",
                roles=FIELD,
                context=field_home_context,
                order=40,
            )
        )
