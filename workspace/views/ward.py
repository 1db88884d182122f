"""The coordinator's landing pages: the wards they coordinate, and one ward's overview."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from volunteers import assignments as svc

from ..legacy_groups import legacy_groups_for
from ..models import (
    ImportJob,
    ImportKind,
)
from .common import coordinator


def _ward_context(ward) -> dict:
    return {"ward": ward}


# --- Wards -------------------------------------------------------------------------------------
@coordinator
def index(request: HttpRequest) -> HttpResponse:
    wards = list(svc.ward_list_for(user=request.user)[:200])
    if len(wards) == 1:
        return redirect("workspace:ward", ward_pk=wards[0].pk)
    return render(request, "workspace/index.html", {"wards": wards})


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
