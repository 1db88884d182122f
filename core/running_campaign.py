"""The campaign running now, for the apps below campaigns.

A volunteer's walk list (households) marks the households visited in the current campaign, but
households sits below campaigns and must not import it. campaigns registers the one finder here
in its AppConfig.ready(); without one there is no current campaign, and "visited" means visited
at all.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RunningCampaign:
    name: str
    start: datetime.date
    end: datetime.date


# (area paths the user works in, today) -> the most local campaign running there, or None.
RunningCampaignFinder = Callable[[Sequence[str], datetime.date], RunningCampaign | None]
_finder: list[RunningCampaignFinder] = []


def running_campaign_finder_register(finder: RunningCampaignFinder) -> None:
    _finder[:] = [finder]


def running_campaign_for(*, paths: Sequence[str], today: datetime.date) -> RunningCampaign | None:
    """The campaign running today over any of `paths` (the most local one first)."""
    if not _finder or not paths:
        return None
    return _finder[0](paths, today)
