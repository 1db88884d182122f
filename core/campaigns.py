"""The campaigns, as the apps below campaigns may see them.

Households, volunteers and the workspace must not import campaigns, yet a volunteer's walk list
marks the households visited in the campaign running where they work, the home page sets that
campaign's totals next to today's, and an assignment names the campaign it serves. campaigns
registers the one provider of both answers in its AppConfig.ready(); without one there are no
campaigns, "visited" means visited at all, and an assignment names none.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    name: str
    start: datetime.date
    end: datetime.date
    scope_path: str  # the tree path of the campaign's scope: its records lie below it

    def runs_on(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CampaignProvider:
    # area path -> the campaigns over that area still open for new work, newest first.
    open_over: Callable[[str], Iterable[CampaignChoice]]
    # (area paths a user works in, day) -> the most local active campaign running there.
    running_over: Callable[[Sequence[str], datetime.date], CampaignChoice | None]


_provider: list[CampaignProvider] = []


def campaign_provider_register(provider: CampaignProvider) -> None:
    _provider[:] = [provider]  # one provider, set once at start-up


def campaign_choices_for(*, area_path: str) -> list[CampaignChoice]:
    """The campaigns a piece of work in the area at `area_path` may be filed under."""
    return list(_provider[0].open_over(area_path)) if _provider else []


def running_campaign_for(*, paths: Sequence[str], today: datetime.date) -> CampaignChoice | None:
    """The campaign running on `today` over any of `paths` (the most local one first)."""
    if not _provider or not paths:
        return None
    return _provider[0].running_over(paths, today)
