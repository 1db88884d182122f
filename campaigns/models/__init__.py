"""Campaigns, their targets, and the summary tables their live totals are read from.

A campaign is a period and a scope over the tree: its numbers are the tallies of the areas in
its scope on the days of its period, never typed. The tallies are kept in step with the records
by `campaigns.tallies` (a receiver of `core.activity.activity_changed`), at every level of
the tree, so a dashboard reads a few rows per area and day whatever the number of visits.
"""

from .campaign import (
    INDICATOR_CHOICES,
    INDICATOR_LABELS,
    TALLY_FIELDS,
    Campaign,
    CampaignQuerySet,
    CampaignStatus,
    Target,
    default_indicators,
)
from .outputs import (
    API_TOKEN_MAX_DAYS,
    ApiToken,
    ReportJob,
    ServiceAccount,
    api_token_default_expiry,
    token_hash,
)
from .recount import CampaignRecount
from .signoff import (
    FROZEN,
    NOT_SENT,
    NOT_SENT_LABEL,
    SignOff,
    SignOffAction,
    SignOffEvent,
    SignOffState,
    month_bounds,
)
from .tallies import (
    AreaDayTally,
    CampaignAreaTally,
    CampaignHouseholdTally,
    CampaignVolunteerTally,
    DriftKind,
    DriftReport,
    IndicatorCounts,
    TallyJournal,
    VolunteerDayTally,
)

__all__ = [
    "API_TOKEN_MAX_DAYS",
    "FROZEN",
    "INDICATOR_CHOICES",
    "INDICATOR_LABELS",
    "NOT_SENT",
    "NOT_SENT_LABEL",
    "TALLY_FIELDS",
    "ApiToken",
    "AreaDayTally",
    "Campaign",
    "CampaignAreaTally",
    "CampaignHouseholdTally",
    "CampaignQuerySet",
    "CampaignRecount",
    "CampaignStatus",
    "CampaignVolunteerTally",
    "DriftKind",
    "DriftReport",
    "IndicatorCounts",
    "ReportJob",
    "ServiceAccount",
    "SignOff",
    "SignOffAction",
    "SignOffEvent",
    "SignOffState",
    "TallyJournal",
    "Target",
    "VolunteerDayTally",
    "api_token_default_expiry",
    "default_indicators",
    "month_bounds",
    "token_hash",
]
