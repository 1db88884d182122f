"""Which campaigns and areas a user may see."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from areas.models import Area
from volunteers.access import COORDINATION
from volunteers.models import User
from volunteers.scoping import Scope, scope_for

from ..models import Campaign


def coordination_scope(user: User) -> Scope:
    return scope_for(user=user, roles=COORDINATION)


def campaign_list_for(*, user: User) -> QuerySet[Campaign]:
    return Campaign.objects.visible_in(coordination_scope(user)).select_related("scope")


def campaign_get_for(*, user: User, pk: int) -> Campaign:
    return get_object_or_404(campaign_list_for(user=user), pk=pk)


def campaign_root_paths(*, user: User, campaign: Campaign) -> list[str]:
    """The paths of `campaign_roots_for`, without a query (the scope holds them)."""
    scope = coordination_scope(user)
    if scope.contains(campaign.scope):
        return [campaign.scope.path]
    return [path for path in scope.paths if path.startswith(campaign.scope.path)]


def campaign_roots_for(*, user: User, campaign: Campaign) -> list[Area]:
    """Where this user's view of the campaign starts: its scope, or the user's own units in it."""
    paths = campaign_root_paths(user=user, campaign=campaign)
    if paths == [campaign.scope.path]:
        return [campaign.scope]
    return list(coordination_scope(user).areas().filter(path__in=paths))


def campaign_area_for(*, user: User, campaign: Campaign, area_pk: int) -> Area:
    """A unit inside both the campaign's scope and the user's; 404 otherwise."""
    scope = coordination_scope(user)
    return get_object_or_404(
        Area.objects.filter(scope.q(field=""), path__startswith=campaign.scope.path), pk=area_pk
    )


def overlapping_campaigns(*, campaign: Campaign, user: User) -> QuerySet[Campaign]:
    """Campaigns counting some of the same records: periods meet and scopes nest. Only those
    `user` may see: another ward's campaign inside a city one is neither named nor linked."""
    scope = campaign.scope
    return (
        campaign_list_for(user=user)
        .exclude(pk=campaign.pk)
        .filter(start__lte=campaign.end, end__gte=campaign.start, era=campaign.era)
        .filter(Q(scope__path__startswith=scope.path) | Q(scope__path__in=scope.ancestor_paths()))
        .select_related("scope")
    )
