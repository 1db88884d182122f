"""The administrative tree of both eras, and the old → new mapping of 1 July 2025."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from areas.models import Area, AreaSuccession

from ..selectors.feed import api_area_get, api_areas, api_successions, parents_of
from . import schemas
from .conditional import not_modified, set_validators
from .errors import not_found
from .params import AreaCode, AreaId, EraParam, Id, LevelParam, Page, PageSize, SearchText
from .shapes import area_out, area_ref, body_version, page_of

router = Router(tags=["areas"])

AreaPathId = Id("Area id.", 307)
ERRORS = dict.fromkeys((400, 401, 404, 405, 429, 500), schemas.Error)


class AreaListQuery(Schema):
    era: EraParam
    level: LevelParam
    parent: AreaId
    parent_code: AreaCode
    code: AreaCode
    q: SearchText
    page: Page
    page_size: PageSize


class MappingQuery(Schema):
    area: AreaId
    area_code: AreaCode
    era: EraParam
    page: Page
    page_size: PageSize


def _by_id_or_code(
    request: HttpRequest, *, pk: int | None, code: str | None, era: str | None
) -> list[Area] | None:
    """The units named by id and/or national code (both eras' when no era is given: codes are
    reused across eras); None when none is named, a 404 when none matches in the scope."""
    if pk is None and code is None:
        return None
    areas = api_area_get(scope=request.auth.scope, pk=pk, code=code, era=era)
    if not areas:
        raise not_found()
    return areas


def _answer(request: HttpRequest, response: HttpResponse, data: dict) -> object:
    version = body_version(request, data)
    unchanged = not_modified(request, version)
    if unchanged is not None:
        return unchanged
    set_validators(response, version)
    return data


def _succession(link: AreaSuccession) -> dict:
    return {
        "predecessor": area_ref(link.predecessor),
        "successor": area_ref(link.successor),
        "is_partial": link.is_partial,
        "effective_on": link.effective_on,
    }


@router.get(
    "/areas/",
    response={200: schemas.AreaPage, 304: None, **ERRORS},
    url_name="api-areas",
    summary="Units of the tree the key reaches, by era, level, parent, code or name",
    description="`code` with `era` finds a unit by its national code. `parent_code` (with "
    "`era`) or `parent` lists a unit's children in one call.",
)
def areas(request: HttpRequest, response: HttpResponse, query: Query[AreaListQuery]) -> object:
    parents = _by_id_or_code(request, pk=query.parent, code=query.parent_code, era=query.era)
    found = api_areas(
        scope=request.auth.scope,
        era=query.era,
        level=query.level,
        parents=parents,
        code=query.code,
        text=query.q,
    )
    rows, count, next_url = page_of(request, found, page=query.page, page_size=query.page_size)
    parents = parents_of(rows)
    data = {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next": next_url,
        "areas": [area_out(area, parents) for area in rows],
    }
    return _answer(request, response, data)


@router.get(
    "/areas/mapping/",
    response={200: schemas.SuccessionPage, 304: None, **ERRORS},
    url_name="api-area-mapping",
    summary="The old → new mapping (1 July 2025), with the split flag",
    description="With `area` (or `area_code` and `era`): only that unit's links, from either side.",
)
def mapping(request: HttpRequest, response: HttpResponse, query: Query[MappingQuery]) -> object:
    areas = _by_id_or_code(request, pk=query.area, code=query.area_code, era=query.era)
    links = api_successions(scope=request.auth.scope, of=areas)
    rows, count, next_url = page_of(request, links, page=query.page, page_size=query.page_size)
    data = {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next": next_url,
        "mapping": [_succession(link) for link in rows],
    }
    return _answer(request, response, data)


@router.get(
    "/areas/{int:area_id}/",
    response={200: schemas.AreaDetail, 304: None, **ERRORS},
    url_name="api-area",
    summary="One unit, with what it became or was made of",
)
def area_detail(request: HttpRequest, response: HttpResponse, area_id: AreaPathId) -> object:
    scope = request.auth.scope
    found = api_area_get(scope=scope, pk=area_id)
    if not found:
        raise not_found()
    area = found[0]
    data = {
        **area_out(area, parents_of([area])),
        "successors": [
            _succession(link) for link in api_successions(scope=scope, predecessor=area)
        ],
        "predecessors": [
            _succession(link) for link in api_successions(scope=scope, successor=area)
        ],
    }
    return _answer(request, response, data)
