"""The contract through which pages below campaigns offer a campaign to choose.

An assignment (volunteers, the workspace) names the campaign it serves, but neither app may
import campaigns. campaigns registers, in its AppConfig.ready(), a function answering "which
campaigns run over this area?" (those whose scope is the area, lies above it or below it), so a
coordinator picks one from a list instead of typing its name, and a volunteer's home page shows
the running campaign's totals next to today's.
"""

import datetime
from collections.abc import Callable, Iterator
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


# area path -> the campaigns over that area still open for new work, newest first.
_provider: Callable[[str], Iterator[CampaignChoice]] | None = None


def campaign_choices_register(provider: Callable[[str], Iterator[CampaignChoice]]) -> None:
    global _provider  # one provider, set once at start-up
    _provider = provider


def campaign_choices_for(*, area_path: str) -> list[CampaignChoice]:
    """The campaigns a piece of work in the area at `area_path` may be filed under."""
    return list(_provider(area_path)) if _provider is not None else []
