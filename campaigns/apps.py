from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Chiến dịch và chỉ tiêu")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from core.activity import activity_changed
        from core.campaigns import CampaignProvider, campaign_provider_register
        from core.jobs.runner import job_kind_register
        from volunteers.access import COORDINATION
        from volunteers.home import HomeSection, register_home_section
        from volunteers.models import Role

        from . import receivers
        from .models import Campaign
        from .recount import RECOUNT_JOBS
        from .report import REPORT_JOBS
        from .selectors import home_campaigns_context
        from .selectors.choices import campaign_choices_over, campaign_running_over
        from .selectors.team import home_team_context

        activity_changed.connect(receivers.on_activity_changed, dispatch_uid="campaigns.tallies")
        post_save.connect(
            receivers.on_campaign_saved, sender=Campaign, dispatch_uid="campaigns.tallies.campaign"
        )
        campaign_provider_register(
            CampaignProvider(open_over=campaign_choices_over, running_over=campaign_running_over)
        )
        # The one runner (core.jobs) runs, retries and sweeps the official reports.
        job_kind_register(REPORT_JOBS)
        # ... and a campaign's recount after its period or scope moved (campaigns.recount).
        job_kind_register(RECOUNT_JOBS)

        register_home_section(
            HomeSection(
                template="campaigns/_home_section.html",
                roles=COORDINATION,
                context=home_campaigns_context,
                order=20,
            )
        )
        register_home_section(
            HomeSection(
                template="campaigns/_team_home_section.html",
                roles=frozenset({Role.TEAM_LEADER}),
                context=home_team_context,
                order=15,
            )
        )
        _register_authority()


def _register_authority() -> None:
    """A campaign is changed by a coordinator at its scope or above: a ward sees the city's
    campaign from below but does not edit it (its report and targets are per area, checked
    through campaign_area_for)."""
    from volunteers.access import CITY_AND_UP, COORDINATION
    from volunteers.authority import Action, AuthorityRule, authority_rule_register

    from .models import Campaign, ServiceAccount

    # A service account (a system reading the API) is the city union's: made, rotated and
    # revoked only by someone holding that role at its area or above.
    authority_rule_register(
        ServiceAccount,
        AuthorityRule(
            area=lambda account: account.scope,
            roles=dict.fromkeys((Action.MANAGE, Action.EDIT, Action.DELETE), CITY_AND_UP),
            owner_actions=frozenset(),
        ),
    )
    authority_rule_register(
        Campaign,
        AuthorityRule(
            area=lambda campaign: campaign.scope,
            roles={Action.EDIT: COORDINATION},
            owner_actions=frozenset(),
        ),
    )
