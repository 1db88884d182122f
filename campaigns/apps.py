from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Chiến dịch và chỉ tiêu")

    def ready(self) -> None:
        from volunteers.access import COORDINATION
        from volunteers.home import HomeSection, register_home_section

        from . import tallies  # noqa: F401  (connects the activity receiver)
        from .selectors import home_campaigns_context

        register_home_section(
            HomeSection(
                template="campaigns/_home_section.html",
                roles=COORDINATION,
                context=home_campaigns_context,
                order=20,
            )
        )
        _register_authority()


def _register_authority() -> None:
    """A campaign is changed by a coordinator at its scope or above: a ward sees the city's
    campaign from below but does not edit it (its report and targets are per area, checked
    through campaign_area_for)."""
    from volunteers.access import COORDINATION
    from volunteers.authority import Action, AuthorityRule, authority_rule_register

    from .models import Campaign

    authority_rule_register(
        Campaign,
        AuthorityRule(
            area=lambda campaign: campaign.scope,
            roles={Action.EDIT: COORDINATION},
            owner_actions=frozenset(),
        ),
    )
