"""Model → answer: areas, campaigns, figures, pages and spreadsheets in the schemas' shapes."""

import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from areas.models import Area
from core.spreadsheets.writer import ExportSpec, spec_bytes

from ..models import Campaign
from ..selectors import percent
from ..selectors.feed import AreaFigures, FeedVersion
from .errors import ApiError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
EXPORT_MAX_ROWS = 20_000


def area_ref(area: Area) -> dict:
    return {
        "id": area.pk,
        "code": area.code,
        "name": area.name,
        "era": area.era,
        "level": area.level,
    }


def parent_path(area: Area) -> str | None:
    return area.path[: -Area.steplen] if area.depth > 1 else None


def area_out(area: Area, parents: dict[str, Area]) -> dict:
    parent = parents.get(parent_path(area) or "")
    return {
        **area_ref(area),
        "kind": area.kind,
        "kind_label": str(area.get_kind_display()),
        "parent_id": parent.pk if parent else None,
        "parent_code": parent.code if parent else None,
        "valid_from": area.valid_from,
        "valid_to": area.valid_to,
    }


def campaign_out(campaign: Campaign, roots: list[Area]) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "theme": campaign.theme,
        "start": campaign.start,
        "end": campaign.end,
        "status": campaign.status,
        "era": campaign.era,
        "scope": area_ref(campaign.scope),
        "roots": [area_ref(root) for root in roots],
        "indicators": campaign.tracked,
        "updated_at": campaign.updated_at,
        "totals_url": reverse("campaigns:api-totals", args=[campaign.pk]),
        "subtree_url": reverse("campaigns:api-subtree", args=[campaign.pk]),
        "series_url": reverse("campaigns:api-series", args=[campaign.pk]),
    }


def figures(campaign: Campaign, counts: dict[str, int], targets: dict[str, int]) -> dict:
    return {
        key: {
            "achieved": counts.get(key, 0),
            "target": targets.get(key),
            "percent": percent(counts.get(key, 0), targets.get(key)),
        }
        for key in campaign.tracked
    }


def figure_row(
    campaign: Campaign, area: Area, row: AreaFigures, targets: dict[int, dict[str, int]]
) -> dict:
    return {
        **area_ref(area),
        "unique_volunteers": row.unique_volunteers,
        "updated_at": row.updated_at,
        "totals": figures(campaign, row.counts, targets.get(area.pk, {})),
    }


def page_of(
    request: HttpRequest, queryset: QuerySet, *, page: int, page_size: int
) -> tuple[list, int, str | None]:
    """Two queries: the rows of one page, how many there are, and the next page's URL."""
    count = queryset.count()
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size]) if start < count else []
    next_url = None
    if start + page_size < count:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        next_url = f"{request.path}?{query.urlencode()}"
    return rows, count, next_url


def body_version(request: HttpRequest, data: object) -> FeedVersion:
    """For answers without a data version of their own (the tree): a tag of the body."""
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True)
    return FeedVersion(etag=hashlib.sha256(text.encode()).hexdigest()[:32], last_modified=None)


def variant(request: HttpRequest, principal: object) -> str:
    """What, besides the data, shapes an answer: its parameters, language and the key's scope."""
    query = sorted((key, value) for key, value in request.GET.items())
    scope = getattr(principal, "scope", None)
    paths = ",".join(scope.paths) if scope is not None else ""
    everything = scope.everything if scope is not None else False
    return f"{request.path}|{query}|{getattr(request, 'LANGUAGE_CODE', '')}|{paths}|{everything}"


def spreadsheet(fmt: str, *, name: str, headers: list[str], rows: list[list]) -> HttpResponse:
    if len(rows) > EXPORT_MAX_ROWS:
        raise ApiError(
            400,
            "too_large",
            _("Quá %(max)d dòng cho một bảng tính: hãy lấy theo trang (JSON).")
            % {"max": EXPORT_MAX_ROWS},
        )
    content = spec_bytes(fmt, ExportSpec(headers=headers, total=len(rows), rows=iter(rows)))
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def iso(moment: datetime.datetime | None) -> str:
    return moment.isoformat() if moment else ""
