"""The phone's way in: the outbox's sync, the offline shell and its data, the PWA files at the
root scope, and the trivial signed-in answer the sync endpoint is benchmarked against."""

import hashlib
import json
import uuid
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.sync import sync_response
from volunteers.access import FIELD, public, role_required, signed_in
from volunteers.authority import Action, authority_may

from ..forms import HouseholdForm, VisitForm
from ..models import STATUS_CHAIN
from ..selectors import (
    household_brief_for,
    household_groups_for,
    household_list_for,
    teammate_choices_for,
)
from ..sync import DOOR as SYNC_DOOR
from .common import one_tap_steps


@role_required(FIELD)
@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    """The outbox's batch: {"items": [{"type", "id", "data"}]} -> {"results": [...]}."""
    return sync_response(request, door=SYNC_DOOR)


@signed_in
def ping(request: HttpRequest) -> HttpResponse:
    """A trivial signed-in JSON answer through the same middleware (session, auth) as `sync`:
    the baseline bench/bench_visits.py measures the sync endpoint against."""
    return JsonResponse({"ok": True})


@role_required(FIELD)
def mine(request: HttpRequest) -> HttpResponse:
    """The volunteer's households, compact, for the offline list: addresses and groups, no
    contact (household_brief_for), so the phone may keep it — the service worker keeps it for
    the list offline; never served stale (no-cache: asked again every time)."""
    response = JsonResponse({"households": household_brief_for(user=request.user)})
    patch_cache_control(response, private=True, no_cache=True)
    return response


@role_required(FIELD)
def shell(request: HttpRequest, **kwargs) -> HttpResponse:
    """The offline app shell: the service worker answers any households page with it when there
    is no signal; its script draws the list, the visit form or the outbox from local data."""
    context = {
        # Both forms live in one page: their ids must not meet (the "Ghi chú" of one pointed
        # at the other's notes).
        "visit_form": VisitForm(
            teammate_choices=teammate_choices_for(user=request.user), auto_id="visit_%s"
        ),
        "household_form": HouseholdForm(
            areas=household_groups_for(user=request.user),
            initial={"members": 1},
            auto_id="household_%s",
        ),
        "steps": one_tap_steps(),
        "chain": STATUS_CHAIN,
        "field": True,
        # Online, the page is titled by what it shows; offline the script re-titles each view.
        "title": _("Chờ gửi") if request.path.endswith("/outbox/") else _("Hộ gia đình"),
    }
    return render(request, "households/shell.html", context)


@role_required(FIELD)
def local_visit(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """A household made offline, once it has reached the server: go to its real page."""
    household = household_list_for(user=request.user).filter(client_uuid=uuid).first()
    if household is None or not authority_may(user=request.user, action=Action.EDIT, obj=household):
        raise Http404
    # Keep the query: "?outbox=<item>" opens the waiting visit for correction on the real page.
    query = request.GET.urlencode()
    return redirect(household.get_absolute_url() + (f"?{query}" if query else ""))


# --- PWA files at the root scope -------------------------------------------------------------
# Precached by the service worker on install: both offline shells' scripts, so that a first
# session without signal still draws the trainings shell as well as the households one.
SHELL_FILES = [
    "css/app.css",
    "js/forms.js",
    "js/outbox.js",
    "js/device.js",
    "js/app.js",
    "js/trainings_offline.js",
]


@cache
def _shell_version() -> str:
    digest = hashlib.sha256()
    for name in [*SHELL_FILES, "js/sw.js"]:
        path = Path(settings.BASE_DIR) / "static" / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()[:12]


@public
def service_worker(request: HttpRequest) -> HttpResponse:
    from django.templatetags.static import static

    source = (Path(settings.BASE_DIR) / "static" / "js" / "sw.js").read_text()
    config = {
        "version": _shell_version(),
        "precache": [static(name) for name in SHELL_FILES] + ["/households/offline/"],
        "outbox": static("js/outbox.js"),
    }
    body = f"self.TUNGNHA = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@public
def manifest(request: HttpRequest) -> HttpResponse:
    from django.templatetags.static import static

    icons = {
        "icon": static("js/pwa/icon.svg"),
        "icon_192": static("img/icon-192.png"),
        "icon_512": static("img/icon-512.png"),
    }
    body = render_to_string("households/manifest.json", icons)
    response = HttpResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "max-age=3600"
    return response
