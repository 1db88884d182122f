from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Chiến dịch và chỉ tiêu")

    def ready(self) -> None:
        from core.jobs.runner import job_kind_register
        from volunteers.access import COORDINATION
        from volunteers.home import HomeSection, register_home_section

        from . import tallies  # noqa: F401  (connects the activity receiver)
        from .report import REPORT_JOBS
        from .selectors import home_campaigns_context

        # The one runner (core.jobs) runs, retries and sweeps the official reports.
        job_kind_register(REPORT_JOBS)

        register_home_section(
            HomeSection(
                template="campaigns/_home_section.html",
                roles=COORDINATION,
                context=home_campaigns_context,
                order=20,
            )
        )
