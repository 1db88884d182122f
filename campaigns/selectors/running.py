"""The campaign running now where a user works, handed to the apps below through
core.running_campaign (registered in CampaignsConfig.ready())."""

import datetime
from collections.abc import Sequence

from areas.models import Area
from core.running_campaign import RunningCampaign

from ..models import Campaign, CampaignStatus


def campaign_running_over(paths: Sequence[str], today: datetime.date) -> RunningCampaign | None:
    """The active campaign covering one of `paths` today: the most local, then the latest
    (one query)."""
    step = Area.steplen
    ancestors = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    campaign = (
        Campaign.objects.filter(
            status=CampaignStatus.ACTIVE,
            start__lte=today,
            end__gte=today,
            scope__path__in=sorted(ancestors),
        )
        .order_by("-scope__depth", "-start", "pk")
        .values("name", "start", "end")
        .first()
    )
    return RunningCampaign(**campaign) if campaign else None
