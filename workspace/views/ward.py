"""The coordinator's landing pages: the wards they coordinate, and one ward's overview."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from areas.models import Area, Era, Level
from areas.selectors import area_reach
from households.tallies.services import tally_scope
from volunteers import assignments as svc

from ..legacy_groups import legacy_groups_for
from ..models import (
    ImportJob,
    ImportKind,
)
from .common import coordinator


def _ward_context(ward) -> dict:
    return {"ward": ward}


def _tally_roots(user) -> list[Area]:
    """The top units of the user's scope, where tallies for everything below are entered."""
    scope = tally_scope(user=user)
    roots = Area.objects.filter(depth=1) if scope.everything else scope.areas()
    if not scope.everything:
        roots = roots.filter(path__in=scope.paths)
    return list(roots.order_by("-era", "path")[:50])


def _legacy_wards(user) -> list[Area]:
    """Pre-2025 wards the user reaches (held there, or taken over whole by a unit they hold):
    where a past campaign's tallies and lists are entered."""
    within = svc.coordinator_scope(user=user).q(field="")
    return list(
        Area.objects.filter(area_reach(within=within), level=Level.WARD, era=Era.LEGACY)
        .order_by("path")
        .only("pk", "name", "path")[:200]
    )


# --- Wards -------------------------------------------------------------------------------------
@coordinator
def index(request: HttpRequest) -> HttpResponse:
    wards = list(svc.ward_list_for(user=request.user)[:200])
    if len(wards) == 1:
        return redirect("workspace:ward", ward_pk=wards[0].pk)
    # Tallies are entered at any level: a district's or a city's one file for all its units.
    roots = _tally_roots(request.user)
    context = {"wards": wards, "tally_roots": roots, "legacy_wards": _legacy_wards(request.user)}
    return render(request, "workspace/index.html", context)


@coordinator
def ward_home(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    context = {
        "ward": ward,
        "teams": svc.teams_of(ward=ward),
        "uncovered": list(svc.groups_uncovered(ward=ward)),
        "group_count": svc.ward_groups_of(ward=ward).count(),
        "imports": ImportJob.objects.filter(ward=ward).defer("content", "records")[:5],
        "import_kinds": ImportKind.choices,
        "legacy_groups": legacy_groups_for(ward=ward),
    }
    return render(request, "workspace/ward.html", context)
