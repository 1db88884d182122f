from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Hộ gia đình và lượt thăm")

    def ready(self) -> None:
        from core.activity import activity_source_register, reach_source_register
        from volunteers.access import FIELD
        from volunteers.home import HomeSection, register_home_section

        from .selectors import volunteer_totals
        from .services import visit_activity_source, visit_reach_source
        from .tallies.services import tally_activity_source

        activity_source_register("households", visit_activity_source)
        activity_source_register("tallies", tally_activity_source)
        reach_source_register("households", visit_reach_source)
        _connect_registry()
        _register_authority()
        register_home_section(
            HomeSection(
                template="households/_home_section.html",
                roles=FIELD,
                context=lambda user: {"totals": volunteer_totals(user=user)},
                order=10,
            )
        )


def _register_authority() -> None:
    """A visit is approved or rejected by a coordinator at its household's area or above; a
    household is edited and visited under a field role held there (or given one by one): a
    coordinator of one ward who volunteers in another logs visits only where they volunteer."""
    from volunteers.access import COORDINATION, FIELD
    from volunteers.authority import Action, AuthorityRule, authority_rule_register

    from .models import Household, Visit
    from .selectors import household_is_assigned_to

    authority_rule_register(
        Household,
        AuthorityRule(
            area=lambda household: household.area,
            roles={Action.EDIT: FIELD},
            owner_actions=frozenset(),
            granted=household_is_assigned_to,
        ),
    )

    authority_rule_register(
        Visit,
        AuthorityRule(
            area=lambda visit: visit.household.area,
            roles={Action.APPROVE: COORDINATION},
            owner_actions=frozenset(),
        ),
    )


def _connect_registry() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Household
    from .registry.services import registry_household_saved

    post_save.connect(registry_household_saved, sender=Household, dispatch_uid="registry-save")
    post_delete.connect(registry_household_saved, sender=Household, dispatch_uid="registry-del")
