"""How much of each total came from tallies (counts entered per unit and day, households.Tally)
rather than from visits and trainings: the dashboard says it under the headline and per unit.

The totals themselves already hold the tallies (they move the summary tables through the
activity contract); this reads the tallies alone, over the campaign's period, under each unit
shown. One query (two without the units), whatever the number of units.
"""

from django.db.models import QuerySet

from areas.models import Area
from households.tallies.selectors import tally_share_read, tally_share_under

from ..models import INDICATOR_LABELS, Campaign
from .rows import child_areas, group_digits


def _cells(campaign: Campaign, counts: dict[str, int]) -> list[dict]:
    return [
        {"key": key, "label": INDICATOR_LABELS[key], "value": group_digits(counts[key])}
        for key in campaign.tracked
        if counts.get(key)
    ]


def campaign_tally_share(
    *,
    campaign: Campaign,
    area: Area,
    children: list[Area] | None = None,
    share: dict[int, dict[str, int]] | None = None,
) -> dict:
    """The tally share of `area`'s totals and of each unit below it that has one (`children`
    when the caller has read them already, `share` when it has read households' answer too:
    `campaign_tally_share_read`)."""
    if children is None:
        children = child_areas(area=area)
    if share is None:
        share = tally_share_under(areas=[area, *children], start=campaign.start, end=campaign.end)
    rows = [
        {"name": child.name, "cells": _cells(campaign, share[child.pk])}
        for child in children
        if share[child.pk]
    ]
    return {"tally_share": _cells(campaign, share[area.pk]), "tally_share_rows": rows}


def campaign_tally_share_read(*, campaign: Campaign, area: Area) -> QuerySet:
    """households' read of the tallies under `area` over the campaign's period (its answer:
    `households.tallies.selectors.tally_share_from`), for a page reading it with others."""
    return tally_share_read(paths=[area.path], start=campaign.start, end=campaign.end)
