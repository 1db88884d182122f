"""What every workspace page shares: who may open it, and how a list answers htmx."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from volunteers.access import COORDINATION, role_required

# Ward coordinators and above; each page then scopes its objects by area (coordinator_scope).
coordinator = role_required(COORDINATION)


def list_response(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """Full page, or only the table when htmx asks (filters and paging update in place)."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context)
    return render(request, template, context)
