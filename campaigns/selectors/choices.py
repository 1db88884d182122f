"""The campaigns handed to the apps below campaigns (core.campaigns), registered in
CampaignsConfig.ready()."""

import datetime
from collections.abc import Iterator, Sequence

from django.db.models import Q
from django.utils import timezone

from areas.models import Area
from core.campaigns import CampaignChoice

from ..models import Campaign, CampaignStatus

_CHOICE_FIELDS = ("pk", "name", "start", "end", "scope__path")


def _ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(Area.steplen, len(path) + 1, Area.steplen)]


def campaigns_over(*, area_path: str) -> Q:
    """Campaigns whose scope is the area at `area_path`, lies above it, or lies below it."""
    return Q(scope__path__in=_ancestor_paths(area_path)) | Q(scope__path__startswith=area_path)


def campaign_choices_over(area_path: str) -> Iterator[CampaignChoice]:
    """Open campaigns over an area (not closed, not yet ended), newest first."""
    rows = (
        Campaign.objects.filter(campaigns_over(area_path=area_path))
        .exclude(status=CampaignStatus.CLOSED)
        .filter(end__gte=timezone.localdate())
        .order_by("-start", "name")
        .values_list(*_CHOICE_FIELDS)
    )
    for row in rows:
        yield CampaignChoice(*row)


def campaign_running_over(paths: Sequence[str], today: datetime.date) -> CampaignChoice | None:
    """The active campaign covering one of `paths` today: the most local, then the latest
    (one query)."""
    ancestors = {ancestor for path in paths for ancestor in _ancestor_paths(path)}
    row = (
        Campaign.objects.filter(
            status=CampaignStatus.ACTIVE,
            start__lte=today,
            end__gte=today,
            scope__path__in=sorted(ancestors),
        )
        .order_by("-scope__depth", "-start", "pk")
        .values_list(*_CHOICE_FIELDS)
        .first()
    )
    return CampaignChoice(*row) if row else None
