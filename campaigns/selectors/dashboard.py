"""What the home page and one area's dashboard show."""

from django.http import Http404
from django.urls import reverse

from areas.models import Area, Level
from volunteers.models import User

from ..charts import cumulative_chart, daily_chart
from ..models import INDICATOR_LABELS, TALLY_FIELDS, Campaign, CampaignStatus
from .figures import (
    campaign_area_rows,
    daily_series,
    effective_targets,
    totals_by_area,
)
from .people import volunteer_rows
from .rows import (
    area_rows,
    child_areas,
    make_cells,
    pace_percent,
    ranking,
    recorded_at_own_level,
    score,
    tone,
)
from .scope import campaign_list_for, campaign_roots_for, coordination_scope, overlapping_campaigns


def home_campaigns_context(user: User) -> dict | None:
    """Active campaigns over the user's areas, each with its headline % at the user's root."""
    campaigns = list(
        campaign_list_for(user=user).filter(status=CampaignStatus.ACTIVE).order_by("-start")[:5]
    )
    if not campaigns:
        return None
    scope = coordination_scope(user)
    items = []
    for campaign in campaigns:
        root = campaign.scope if scope.contains(campaign.scope) else None
        if root is None:
            roots = campaign_roots_for(user=user, campaign=campaign)
            if not roots:
                continue
            root = roots[0]
        totals = totals_by_area(campaign=campaign, area_ids=[root.pk])[root.pk]
        targets = effective_targets(campaign=campaign, areas=[root])[root.pk]
        cells = make_cells(campaign, totals, targets)
        items.append({"campaign": campaign, "area": root, "score": score(cells)})
    return {"campaign_items": items} if items else None


def require_dashboard_area(area: Area | None) -> Area:
    if area is None:
        raise Http404
    return area


# --- The dashboard of one area ----------------------------------------------------------------
def dashboard_crumbs(*, user: User, campaign: Campaign, area: Area) -> list[Area]:
    """One query: the area and its ancestors inside both the campaign and the user's scope."""
    return list(
        area.ancestors_and_self().filter(
            coordination_scope(user).q(field=""), path__startswith=campaign.scope.path
        )
    )


def campaign_dashboard(
    *,
    user: User,
    campaign: Campaign,
    area: Area,
    indicator: str = "",
    crumbs: list[Area] | None = None,
) -> dict:
    """Everything the dashboard shows for `area`: five queries at any size (six without the
    `crumbs` the page read already) — its children; their and its own figures in one read;
    their and its own targets in one; the daily trend; the overlapping campaigns."""
    pace = pace_percent(campaign=campaign)
    children = child_areas(area=area)

    # One reverse() for the campaign's area pages (a city has 126 communes to link).
    url_pattern = reverse("campaigns:area", args=[campaign.pk, 0]).replace("/0/", "/{}/")

    def url_for(child: Area) -> str:
        return url_pattern.format(child.pk)

    figures = campaign_area_rows(
        campaign=campaign, area_ids=[area.pk, *(child.pk for child in children)]
    )
    all_targets = effective_targets(campaign=campaign, areas=[area, *children])
    area_figures = dict(figures)  # the area's and its children's rows, for coverage
    mine = figures.pop(area.pk)
    totals, updated_at = {name: mine[name] for name in TALLY_FIELDS}, mine["updated_at"]
    targets = all_targets[area.pk]
    headline = make_cells(campaign, totals, targets)
    rows = area_rows(
        campaign=campaign,
        areas=children,
        url_for=url_for,
        pace=pace,
        totals={pk: {name: row[name] for name in TALLY_FIELDS} for pk, row in figures.items()},
        targets=all_targets,
    )
    own = recorded_at_own_level(campaign=campaign, totals=totals, rows=rows)
    teams, volunteers = ([], [])
    if area.level >= Level.WARD:
        teams, volunteers = volunteer_rows(campaign=campaign, area=area)
    series = daily_series(campaign=campaign, area=area)
    chosen = indicator if indicator in campaign.tracked else _main_indicator(campaign, targets)
    if crumbs is None:
        crumbs = dashboard_crumbs(user=user, campaign=campaign, area=area)
    return {
        "campaign": campaign,
        "area": area,
        "crumbs": crumbs,
        "headline": headline,
        "headline_score": score(headline),
        "headline_tone": tone(score(headline), pace),
        "unique_volunteers": mine["unique_volunteers"],
        "updated_at": updated_at,
        "pace": pace,
        "child_level": Level(children[0].level).label if children else "",
        "rows": rows,
        "own_level_cells": own,
        "ranking": ranking(rows),
        "teams": teams,
        "volunteers": volunteers,
        "indicator": chosen,
        "indicator_label": INDICATOR_LABELS[chosen],
        "daily_svg": daily_chart(series, chosen),
        "cumulative_svg": cumulative_chart(series, chosen, targets.get(chosen), campaign),
        "series": series,
        "area_figures": area_figures,
        "overlaps": list(overlapping_campaigns(campaign=campaign, user=user)),
    }


def _main_indicator(campaign: Campaign, targets: dict[str, int]) -> str:
    for key in campaign.tracked:
        if key in targets:
            return key
    return campaign.tracked[0]
