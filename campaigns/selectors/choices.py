"""Campaigns offered to the pages below campaigns (core.campaign_choices)."""

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from areas.models import Area
from core.campaign_choices import CampaignChoice

from ..models import Campaign, CampaignStatus


def campaigns_over(*, area_path: str) -> Q:
    """Campaigns whose scope is the area at `area_path`, lies above it, or lies below it."""
    ancestors = [area_path[:end] for end in range(Area.steplen, len(area_path) + 1, Area.steplen)]
    return Q(scope__path__in=ancestors) | Q(scope__path__startswith=area_path)


def campaign_choices_over(area_path: str) -> Iterator[CampaignChoice]:
    """Open campaigns over an area (not closed, not yet ended), newest first."""
    rows = (
        Campaign.objects.filter(campaigns_over(area_path=area_path))
        .exclude(status=CampaignStatus.CLOSED)
        .filter(end__gte=timezone.localdate())
        .order_by("-start", "name")
        .values_list("pk", "name", "start", "end", "scope__path")
    )
    for pk, name, start, end, scope_path in rows:
        yield CampaignChoice(id=pk, name=name, start=start, end=end, scope_path=scope_path)
