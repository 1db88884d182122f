"""Campaigns, their indicators, totals, subtrees and daily series."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from areas.models import Area, Era

from ..models import INDICATOR_LABELS, Campaign
from ..selectors import daily_series, effective_targets
from ..selectors.coverage import Coverage, coverage_by_unit
from ..selectors.feed import (
    area_figures,
    campaign_area_in,
    campaign_list_in,
    campaign_roots_in,
    feed_version,
    parents_of,
    subtree_areas,
)
from ..tallies.compute import INDICATORS
from . import schemas
from .conditional import not_modified, set_validators
from .errors import ApiError, not_found
from .params import AreaCode, AreaId, Depth, EraParam, Format, Id, Moment, Page, PageSize
from .shapes import (
    area_ref,
    campaign_out,
    figure_row,
    figures,
    iso,
    page_of,
    parent_path,
    spreadsheet,
    variant,
)

router = Router(tags=["campaigns"])

CampaignId = Id("Campaign id (from /campaigns/).")
ERRORS = dict.fromkeys((400, 401, 404, 405, 429, 500), schemas.Error)
CONDITIONAL = {304: None}


class AreaQuery(Schema):
    area: AreaId
    area_code: AreaCode
    era: EraParam


class TotalsQuery(AreaQuery):
    changed_since: Moment


class SubtreeQuery(TotalsQuery):
    depth: Depth
    page: Page
    page_size: PageSize
    format: Format


class SeriesQuery(AreaQuery):
    format: Format


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = campaign_list_in(scope=request.auth.scope).filter(pk=campaign_id).first()
    if campaign is None:
        raise not_found()
    return campaign


def _area(request: HttpRequest, campaign: Campaign, query: AreaQuery) -> Area:
    """The unit asked for by id, or by national code in the campaign's era, inside both the
    campaign and the key's scope; the key's one root when none is named."""
    scope = request.auth.scope
    if query.era is not None and query.era != campaign.era:
        raise not_found(
            _("Chiến dịch này theo địa giới %(era)s: không có đơn vị của giai đoạn kia.")
            % {"era": Era(campaign.era).label}
        )
    if query.area is not None or query.area_code is not None:
        # Both given: the unit must answer to both, or nothing does.
        area = campaign_area_in(scope=scope, campaign=campaign, pk=query.area, code=query.area_code)
    else:
        roots = campaign_roots_in(scope=scope, campaign=campaign)
        if len(roots) > 1:
            raise ApiError(
                400,
                "area_required",
                _("Khóa này có nhiều địa bàn trong chiến dịch: hãy chọn area."),
                details=[{"parameter": "area", "message": f"{r.pk} ({r.code})"} for r in roots],
            )
        area = roots[0] if roots else None
    if area is None:
        raise not_found()
    return area


@router.get(
    "/campaigns/",
    response={200: schemas.CampaignList, **ERRORS},
    url_name="api-campaigns",
    summary="Campaigns the key may read",
)
def campaigns(request: HttpRequest) -> dict:
    scope = request.auth.scope
    items = list(campaign_list_in(scope=scope))
    return {
        "campaigns": [
            campaign_out(campaign, campaign_roots_in(scope=scope, campaign=campaign))
            for campaign in items
        ]
    }


@router.get(
    "/campaigns/{int:campaign_id}/",
    response={200: schemas.CampaignOut, **ERRORS},
    url_name="api-campaign",
    summary="One campaign",
)
def campaign_detail(request: HttpRequest, campaign_id: CampaignId) -> dict:
    campaign = _campaign(request, campaign_id)
    return campaign_out(campaign, campaign_roots_in(scope=request.auth.scope, campaign=campaign))


@router.get(
    "/campaigns/{int:campaign_id}/indicators/",
    response={200: schemas.IndicatorList, **ERRORS},
    url_name="api-indicators",
    summary="The indicators the campaign tracks, with their labels",
)
def indicators(request: HttpRequest, campaign_id: CampaignId) -> dict:
    campaign = _campaign(request, campaign_id)
    return {
        "campaign_id": campaign.pk,
        "indicators": [
            {"key": key, "label": str(INDICATOR_LABELS[key]), "additive": key in INDICATORS}
            for key in campaign.tracked
        ],
    }


@router.get(
    "/campaigns/{int:campaign_id}/totals/",
    response={200: schemas.TotalsOut, **CONDITIONAL, **ERRORS},
    url_name="api-totals",
    summary="Totals of an area and of its children, against targets",
    description="Poll with If-None-Match (ETag) or If-Modified-Since: 304 while nothing moved.",
)
def totals(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: CampaignId,
    query: Query[TotalsQuery],
) -> object:
    campaign = _campaign(request, campaign_id)
    area = _area(request, campaign, query)
    version = feed_version(campaign=campaign, area=area, variant=variant(request, request.auth))
    unchanged = not_modified(request, version)
    if unchanged is not None:
        return unchanged
    set_validators(response, version)
    children = list(Area.objects.filter(path__startswith=area.path, depth=area.depth + 1))
    rows = area_figures(campaign=campaign, areas=[area, *children])
    if query.changed_since is not None:
        since = query.changed_since
        children = [c for c in children if (rows[c.pk].updated_at or since) > since]
    targets = effective_targets(campaign=campaign, areas=[area, *children])
    own = rows[area.pk]
    return {
        "campaign": campaign_out(
            campaign, campaign_roots_in(scope=request.auth.scope, campaign=campaign)
        ),
        "area": area_ref(area),
        "updated_at": own.updated_at,
        "unique_volunteers": own.unique_volunteers,
        "totals": figures(campaign, own.counts, targets.get(area.pk, {})),
        "children": [figure_row(campaign, child, rows[child.pk], targets) for child in children],
    }


def _coverage(coverage: Coverage) -> dict:
    return {
        "households": coverage.households,
        "reached": coverage.reached,
        "not_reached": coverage.not_reached,
        "share": coverage.share,
        "members": coverage.members,
        "level2_activations": coverage.level2,
        "level2_share": coverage.level2_share,
    }


@router.get(
    "/campaigns/{int:campaign_id}/coverage/",
    response={200: schemas.CoverageOut, **ERRORS},
    url_name="api-coverage",
    summary="Coverage against the registry: an area and its children",
    description="Households on the registry, those reached in the campaign's period and the "
    "share; the registry's members against the level-2 activations counted. Not conditional: "
    "the registry moves without the totals.",
)
def coverage(request: HttpRequest, campaign_id: CampaignId, query: Query[AreaQuery]) -> object:
    campaign = _campaign(request, campaign_id)
    area = _area(request, campaign, query)
    children = list(
        Area.objects.filter(path__startswith=area.path, depth=area.depth + 1).order_by("path")
    )
    by_unit = coverage_by_unit(campaign=campaign, units=[area, *children])
    return {
        "campaign_id": campaign.pk,
        "area": area_ref(area),
        "coverage": _coverage(by_unit[area.pk]),
        "children": [
            {**area_ref(child), "coverage": _coverage(by_unit[child.pk])} for child in children
        ],
    }


@router.get(
    "/campaigns/{int:campaign_id}/subtree/",
    response={200: schemas.SubtreePage, **CONDITIONAL, **ERRORS},
    url_name="api-subtree",
    summary="A whole subtree's totals in one call, paginated (or as csv / xlsx)",
    description="The area (depth 0) and every unit down to `depth` levels below it, in tree "
    "order, each with its unique volunteers and when it last moved.",
    openapi_extra={"x-spreadsheets": True},
)
def subtree(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: CampaignId,
    query: Query[SubtreeQuery],
) -> object:
    campaign = _campaign(request, campaign_id)
    root = _area(request, campaign, query)
    version = feed_version(campaign=campaign, area=root, variant=variant(request, request.auth))
    unchanged = not_modified(request, version)
    if unchanged is not None:
        return unchanged
    areas = subtree_areas(
        campaign=campaign, root=root, depth=query.depth, changed_since=query.changed_since
    )
    if query.format != "json":
        exported = _subtree_sheet(campaign, root, list(areas[:20_001]), query.format)
        set_validators(exported, version)
        return exported
    set_validators(response, version)
    page, count, next_url = page_of(request, areas, page=query.page, page_size=query.page_size)
    return {
        "campaign_id": campaign.pk,
        "root": area_ref(root),
        "depth": query.depth,
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next": next_url,
        "rows": _subtree_rows(campaign, root, page),
    }


def _subtree_rows(campaign: Campaign, root: Area, areas: list[Area]) -> list[dict]:
    """Four queries for a page: figures, targets, parents."""
    if not areas:
        return []
    rows = area_figures(campaign=campaign, areas=areas)
    targets = effective_targets(campaign=campaign, areas=areas)
    parents = parents_of(areas)
    result = []
    for area in areas:
        parent = parents.get(parent_path(area) or "")
        result.append(
            {
                **figure_row(campaign, area, rows[area.pk], targets),
                "parent_id": parent.pk if parent else None,
                "depth": area.depth - root.depth,
            }
        )
    return result


def _subtree_sheet(campaign: Campaign, root: Area, areas: list[Area], fmt: str) -> HttpResponse:
    rows = _subtree_rows(campaign, root, areas)
    headers = ["id", "code", "name", "era", "level", "parent_id", "depth"]
    headers += ["unique_volunteers", "updated_at"]
    for key in campaign.tracked:
        headers += [key, f"{key}_target"]
    lines = []
    for row in rows:
        line = [row["id"], row["code"], row["name"], row["era"], row["level"], row["parent_id"]]
        line += [row["depth"], row["unique_volunteers"], iso(row["updated_at"])]
        for key in campaign.tracked:
            figure = row["totals"][key]
            line += [figure["achieved"], figure["target"]]
        lines.append(line)
    return spreadsheet(
        fmt, name=f"campaign-{campaign.pk}-{root.code}-subtree", headers=headers, rows=lines
    )


@router.get(
    "/campaigns/{int:campaign_id}/series/",
    response={200: schemas.SeriesOut, **CONDITIONAL, **ERRORS},
    url_name="api-series",
    summary="Per-day counts of every indicator tracked, for one area (or as csv / xlsx)",
    openapi_extra={"x-spreadsheets": True},
)
def series(
    request: HttpRequest,
    response: HttpResponse,
    campaign_id: CampaignId,
    query: Query[SeriesQuery],
) -> object:
    campaign = _campaign(request, campaign_id)
    area = _area(request, campaign, query)
    version = feed_version(campaign=campaign, area=area, variant=variant(request, request.auth))
    unchanged = not_modified(request, version)
    if unchanged is not None:
        return unchanged
    tracked = campaign.tracked
    days = [
        {"day": day, "counts": {key: counts[key] for key in tracked}}
        for day, counts in daily_series(campaign=campaign, area=area)
    ]
    if query.format != "json":
        exported = spreadsheet(
            query.format,
            name=f"campaign-{campaign.pk}-{area.code}-series",
            headers=["day", *tracked],
            rows=[[d["day"].isoformat(), *(d["counts"][k] for k in tracked)] for d in days],
        )
        set_validators(exported, version)
        return exported
    set_validators(response, version)
    return {"campaign_id": campaign.pk, "area": area_ref(area), "indicators": tracked, "days": days}
