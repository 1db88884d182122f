"""Campaigns, targets and synthetic activity for the campaign tests."""

import datetime

from areas.models import Area
from campaigns.models import Campaign, CampaignStatus, Target
from core.activity import ActivityDelta, activity_record

LEGACY_DAY = datetime.date(2023, 3, 10)
CURRENT_DAY = datetime.date(2026, 3, 10)


def campaign_for(
    scope: Area,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    name: str = "Chiến dịch thử",
    **fields,
) -> Campaign:
    if start is None:
        start = datetime.date(2023, 3, 1) if scope.era == "legacy" else datetime.date(2026, 3, 1)
    if end is None:
        end = start + datetime.timedelta(days=30)
    campaign = Campaign(
        name=name,
        theme="",
        start=start,
        end=end,
        scope=scope,
        status=fields.pop("status", CampaignStatus.ACTIVE),
        **fields,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def target(campaign: Campaign, area: Area, indicator: str, value: int) -> Target:
    return Target.objects.create(campaign=campaign, area=area, indicator=indicator, value=value)


def record(area: Area, day: datetime.date, volunteer=None, **counts: int) -> ActivityDelta:
    """Send one delta through the contract, as households/trainings do."""
    delta = ActivityDelta(
        area_id=area.pk,
        day=day,
        counts=counts,
        volunteer_id=volunteer.pk if volunteer is not None else None,
    )
    activity_record(sender="tests", deltas=[delta])
    return delta
