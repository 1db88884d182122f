"""What the home page and one area's dashboard show."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from areas.models import Area, Era, Level
from core.text import search_key
from households.registry.selectors import registry_from, registry_read
from households.tallies.selectors import tally_share_from
from volunteers.models import User

from ..charts import cumulative_chart, daily_chart
from ..models import INDICATOR_LABELS, TALLY_FIELDS, Campaign, CampaignStatus
from .batch import CompiledReads, Read, instance, read_of, read_together
from .coverage import coverage_by_unit
from .figures import (
    area_row_reads,
    area_rows_from,
    daily_read,
    daily_series_from,
    effective_targets,
    effective_targets_from,
    has_own_rows,
    targets_read,
    totals_by_area,
)
from .people import volunteer_reads, volunteer_rows_from
from .ranking import indicator_ranking
from .rows import (
    AREA_FIELDS,
    Row,
    area_rows,
    areas_from,
    children_read,
    make_cells,
    pace_percent,
    ranking,
    recorded_at_own_level,
    score,
    tone,
)
from .scope import campaign_list_for, campaign_roots_for, coordination_scope, overlapping_campaigns
from .signoffs import (
    history_read,
    page_read,
    panel_data_from,
    signoff_history_from,
    signoff_states_from,
    signoffs_from,
    signoffs_read,
    wards_read,
)
from .tally_share import campaign_tally_share, campaign_tally_share_read


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
def _crumbs_read(*, user: User, campaign: Campaign, area: Area) -> QuerySet:
    """The area and its ancestors inside both the campaign and the user's scope."""
    return Area.objects.filter(
        coordination_scope(user).q(field=""),
        path__startswith=campaign.scope.path,
        path__in=area.ancestor_paths(),
    ).values_list(*AREA_FIELDS)


def dashboard_crumbs(*, user: User, campaign: Campaign, area: Area) -> list[Area]:
    """One query: the area and its ancestors inside both the campaign and the user's scope."""
    return areas_from(list(_crumbs_read(user=user, campaign=campaign, area=area)))


_COMPILED = CompiledReads(size=512)


def _reads(*, user: User, campaign: Campaign, area: Area, crumbs: bool) -> dict[str, Read]:
    """The campaign's own reads of `area`'s dashboard, compiled once per process by everything
    they are built from: the campaign's identity, period, era and scope (and whether its
    summary rows describe it), the unit's place in the tree, the viewer's scope. A read that
    comes to depend on anything else must add it to the key."""
    scope = coordination_scope(user)
    key = (
        "dashboard",
        campaign.pk,
        campaign.start,
        campaign.end,
        campaign.era,
        campaign.scope.path,
        has_own_rows(campaign),
        area.pk,
        area.path,
        area.depth,
        area.level,
        scope.everything,
        scope.paths,
        crumbs,
    )
    return _COMPILED.get(
        key, lambda: _compile_reads(user=user, campaign=campaign, area=area, crumbs=crumbs)
    )


def _compile_reads(*, user: User, campaign: Campaign, area: Area, crumbs: bool) -> dict[str, Read]:
    """The campaign's own reads of `area`'s dashboard, for one statement (selectors.batch):
    each is the read its own selector makes, filtered to the unit and its children."""
    queries: dict[str, QuerySet | None] = {
        "children": children_read(area=area),
        **area_row_reads(
            campaign=campaign,
            where=Q(area__path__startswith=area.path, area__depth__lte=area.depth + 1),
        ),
        "targets": targets_read(campaign=campaign, areas=[area]),
        "days": daily_read(campaign=campaign, area=area),
        "signoffs": signoffs_read(page_read(area=area, campaign=campaign)),
        "overlaps": overlapping_campaigns(campaign=campaign, user=user)
        .order_by()
        .values_list("id", "name", "start"),
        # households' two reads: the registry behind coverage, summed per child in the
        # database, and the tallies' share.
        "registry": registry_read(root_path=area.path, length=len(area.path) + Area.steplen),
        "tally_share": campaign_tally_share_read(campaign=campaign, area=area),
    }
    if area.level < Level.DISTRICT and area.era == Era.LEGACY:
        # A pre-2025 city's rows are districts: they count the wards under them (since the
        # reform a city's rows are its communes, wards themselves).
        queries["wards"] = wards_read([area])
    if area.level == Level.WARD:
        queries["history"] = history_read(area=area, campaign=campaign)
    if area.level >= Level.WARD:
        queries.update(volunteer_reads(campaign=campaign, area=area))
    if crumbs:
        queries["crumbs"] = _crumbs_read(user=user, campaign=campaign, area=area)
    return {name: read_of(query) for name, query in queries.items() if query is not None}


def campaign_dashboard(
    *,
    user: User,
    campaign: Campaign,
    area: Area,
    indicator: str = "",
    crumbs: list[Area] | None = None,
) -> dict:
    """Everything the body of `area`'s dashboard shows, and the data of its sign-off box:
    one query whatever the number of units — every read in one statement (the unit's
    children; their and its figures; the targets under it; the daily trend; the sign-offs of
    its wards and the city's closing; the campaigns overlapping this one; the crumbs unless
    given; a ward's history, volunteers and teams; and households' registry behind coverage
    and the tallies' share)."""
    rows = read_together(**_reads(user=user, campaign=campaign, area=area, crumbs=crumbs is None))
    children = areas_from(rows["children"])
    if crumbs is None:
        crumbs = areas_from(rows["crumbs"])
    pace = pace_percent(campaign=campaign)
    # One reverse() for the campaign's area pages (a city has 126 communes to link).
    url_pattern = reverse("campaigns:area", args=[campaign.pk, 0]).replace("/0/", "/{}/")

    def url_for(child: Area) -> str:
        return url_pattern.format(child.pk)

    figures = area_rows_from(rows, [area.pk, *(child.pk for child in children)])
    all_targets = effective_targets_from([area, *children], rows["targets"])
    area_figures = dict(figures)  # the area's and its children's rows, for coverage
    mine = figures.pop(area.pk)
    totals, updated_at = {name: mine[name] for name in TALLY_FIELDS}, mine["updated_at"]
    targets = all_targets[area.pk]
    headline = make_cells(campaign, totals, targets)
    unit_rows = area_rows(
        campaign=campaign,
        areas=children,
        url_for=url_for,
        pace=pace,
        totals={pk: {name: row[name] for name in TALLY_FIELDS} for pk, row in figures.items()},
        targets=all_targets,
    )
    own = recorded_at_own_level(campaign=campaign, totals=totals, rows=unit_rows)
    teams, volunteers = ([], [])
    if area.level >= Level.WARD:
        teams, volunteers = volunteer_rows_from(campaign, rows)
        _volunteer_links(campaign, area, volunteers)
    series = daily_series_from(campaign, rows["days"])
    chosen = indicator if indicator in campaign.tracked else _main_indicator(campaign, targets)
    signoffs = signoffs_from(rows["signoffs"])
    history = signoff_history_from(rows.get("history", ()))
    wards = rows.get("wards")
    if wards is None and (read := wards_read(children)) is not None:
        wards = list(read)  # rows above wards where none were expected: counted all the same
    states = signoff_states_from(children, signoffs, wards or ())
    units = [area, *children]
    coverage = coverage_by_unit(
        campaign=campaign,
        units=units,
        figures=area_figures,
        registry=registry_from(units, rows["registry"]),
    )
    for row in unit_rows:
        unit = row.extra["area"]
        row.extra["signoff"] = states.get(unit.pk)
        row.extra["coverage"] = coverage[unit.pk]
        # The unit's stored accent-free name (Area.save keeps it), else made here.
        row.extra["search"] = unit.search_key or search_key(row.name)
    ranked = indicator_ranking(rows=unit_rows, key=chosen, pace=pace)
    overlaps = [
        instance(Campaign, id=pk, name=name, start=start) for pk, name, start in rows["overlaps"]
    ]
    overlaps.sort(key=lambda other: (-other.start.toordinal(), other.name))
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
        "rows": unit_rows,
        "own_level_cells": own,
        "ranking": ranking(unit_rows),
        "teams": teams,
        "volunteers": volunteers,
        "indicator": chosen,
        "indicator_label": INDICATOR_LABELS[chosen],
        "daily_svg": daily_chart(series, chosen),
        "cumulative_svg": cumulative_chart(series, chosen, targets.get(chosen), campaign),
        "series": series,
        "area_figures": area_figures,
        "overlaps": overlaps,
        "coverage": coverage[area.pk],
        "coverage_rows": sorted(
            unit_rows, key=lambda row: (-row.extra["coverage"].not_reached, row.name)
        ),
        "indicator_ranking": ranked,
        "ranking_hidden": sum(unit.middle for unit in ranked),
        "panel": panel_data_from(area, signoffs, history),
        **campaign_tally_share(
            campaign=campaign,
            area=area,
            children=children,
            share=tally_share_from(units, rows["tally_share"]),
        ),
    }


def _volunteer_links(campaign: Campaign, ward: Area, volunteers: list[Row]) -> None:
    """A volunteer's row opens their visits in the ward's workspace over the campaign's days:
    that page checks the viewer's scope itself."""
    base = reverse("workspace:visit-list", args=[ward.pk])
    for row in volunteers:
        volunteer_id = row.extra.get("volunteer_id")
        if volunteer_id:
            row.url = (
                f"{base}?volunteer={volunteer_id}&date_from={campaign.start.isoformat()}"
                f"&date_to={campaign.end.isoformat()}"
            )


def _main_indicator(campaign: Campaign, targets: dict[str, int]) -> str:
    for key in campaign.tracked:
        if key in targets:
            return key
    return campaign.tracked[0]
