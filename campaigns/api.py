"""A read-only JSON API of campaign totals by area, for the city's operations centre (IOC).

Authenticated by `Authorization: Bearer <token>` (campaigns.models.ApiToken): a token sees
exactly what its user sees. Described by the OpenAPI 3 document at api/v1/openapi.json.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from volunteers.access import public

from .models import INDICATOR_LABELS, TALLY_FIELDS, Campaign
from .selectors import (
    area_summary,
    campaign_area_for,
    campaign_list_for,
    campaign_roots_for,
    child_areas,
    effective_targets,
    percent,
    totals_by_area,
    unique_volunteers,
)
from .services import api_token_user


def token_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _sep, raw = header.partition(" ")
        user = api_token_user(raw.strip()) if scheme.lower() == "bearer" and raw else None
        if user is None:
            response = JsonResponse({"error": _("Cần khóa API hợp lệ.")}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="tungnha"'
            return response
        request.user = user
        return view(request, *args, **kwargs)

    return wrapped


def _campaign_json(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "theme": campaign.theme,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "status": campaign.status,
        "era": campaign.era,
        "scope": {
            "id": campaign.scope_id,
            "code": campaign.scope.code,
            "name": campaign.scope.name,
        },
        "indicators": campaign.tracked,
        "totals_url": reverse("campaigns:api-totals", args=[campaign.pk]),
    }


@public
@require_GET
@token_required
def api_campaigns(request: HttpRequest) -> JsonResponse:
    campaigns = campaign_list_for(user=request.user)
    return JsonResponse({"campaigns": [_campaign_json(c) for c in campaigns]})


def _figures(campaign: Campaign, counts: dict, targets: dict) -> dict:
    return {
        key: {
            "achieved": counts.get(key, 0),
            "target": targets.get(key),
            "percent": percent(counts.get(key, 0), targets.get(key)),
        }
        for key in campaign.tracked
    }


@public
@require_GET
@token_required
def api_totals(request: HttpRequest, pk: int) -> JsonResponse:
    """The totals of an area (default: the token's root in the campaign) and of its children."""
    campaign = get_object_or_404(campaign_list_for(user=request.user), pk=pk)
    area_param = request.GET.get("area", "")
    if area_param:
        if not area_param.isdigit():
            return JsonResponse({"error": _("Tham số area phải là số.")}, status=400)
        area = campaign_area_for(user=request.user, campaign=campaign, area_pk=int(area_param))
    else:
        roots = campaign_roots_for(user=request.user, campaign=campaign)
        if not roots:
            return JsonResponse({"error": _("Không có địa bàn.")}, status=404)
        area = roots[0]
    children = child_areas(area=area)
    counts, updated_at = area_summary(campaign=campaign, area=area)
    child_counts = totals_by_area(campaign=campaign, area_ids=[c.pk for c in children])
    targets = effective_targets(campaign=campaign, areas=[area, *children])
    return JsonResponse(
        {
            "campaign": _campaign_json(campaign),
            "area": {"id": area.pk, "code": area.code, "name": area.name, "level": area.level},
            "updated_at": updated_at.isoformat() if updated_at else None,
            "unique_volunteers": unique_volunteers(campaign=campaign, area=area),
            "totals": _figures(campaign, counts, targets.get(area.pk, {})),
            "children": [
                {
                    "id": child.pk,
                    "code": child.code,
                    "name": child.name,
                    "level": child.level,
                    "totals": _figures(campaign, child_counts[child.pk], targets.get(child.pk, {})),
                }
                for child in children
            ],
        }
    )


def _figure_schema() -> dict:
    return {
        "type": "object",
        "properties": {
            "achieved": {"type": "integer"},
            "target": {"type": "integer", "nullable": True},
            "percent": {"type": "number", "nullable": True},
        },
    }


TOTALS_REF = {"$ref": "#/components/schemas/Totals"}


def openapi_document() -> dict:
    indicator_props = {
        key: {"$ref": "#/components/schemas/Figure", "description": str(INDICATOR_LABELS[key])}
        for key in TALLY_FIELDS
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Từng Nhà — campaign totals API",
            "version": "1.0.0",
            "description": "Read-only totals of campaigns by area, scoped like the token's user.",
        },
        "servers": [{"url": "/campaigns/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Figure": _figure_schema(),
                "Totals": {"type": "object", "properties": indicator_props},
                "Area": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "level": {"type": "integer", "description": "1 province … 4 group"},
                    },
                },
                "Campaign": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "theme": {"type": "string"},
                        "start": {"type": "string", "format": "date"},
                        "end": {"type": "string", "format": "date"},
                        "status": {"type": "string", "enum": ["draft", "active", "closed"]},
                        "era": {"type": "string", "enum": ["legacy", "current"]},
                        "scope": {"$ref": "#/components/schemas/Area"},
                        "indicators": {"type": "array", "items": {"type": "string"}},
                        "totals_url": {"type": "string"},
                    },
                },
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            },
        },
        "paths": {
            "/campaigns/": {
                "get": {
                    "summary": "Campaigns visible to the token",
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "campaigns": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Campaign"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "401": {"description": "Missing or invalid token"},
                    },
                }
            },
            "/campaigns/{id}/totals/": {
                "get": {
                    "summary": "Totals of an area and its children, against targets",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "area",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer"},
                            "description": "Area id (default: the token's root in the campaign)",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "campaign": {"$ref": "#/components/schemas/Campaign"},
                                            "area": {"$ref": "#/components/schemas/Area"},
                                            "updated_at": {"type": "string", "nullable": True},
                                            "unique_volunteers": {"type": "integer"},
                                            "totals": TOTALS_REF,
                                            "children": {
                                                "type": "array",
                                                "items": {
                                                    "allOf": [
                                                        {"$ref": "#/components/schemas/Area"},
                                                        {
                                                            "type": "object",
                                                            "properties": {"totals": TOTALS_REF},
                                                        },
                                                    ]
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": {"description": "Bad parameter"},
                        "401": {"description": "Missing or invalid token"},
                        "404": {"description": "Not found or outside the token's scope"},
                    },
                }
            },
        },
    }


@public
@require_GET
def api_openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document())
