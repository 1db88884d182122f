"""Thin views: parse, call a selector or a service, render. The outbox posts to `sync`."""

import hashlib
import json
import uuid
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.selectors import area_attribution
from core.devices import keep_off_device
from core.forms import errors_to_form
from core.sync import sync_response
from volunteers.access import COORDINATION, FIELD, public, role_required, signed_in
from volunteers.authority import Action, authority_may, authority_require

from .forms import STEP_ACTIONS, HouseholdForm, VisitForm
from .models import STATUS_CHAIN, ConsentMethod, ContactDoor, DigitalStatus, status_rank
from .selectors import (
    FILTER_PENDING,
    FILTER_UNVISITED,
    can_log_visits,
    household_brief_for,
    household_get_for,
    household_groups_for,
    household_list_for,
    household_next_unvisited,
    household_walk_list_for,
    teammate_choices_for,
    visit_edit_history,
    visit_get_for,
    visit_list_for_household,
    visit_recent_for,
    visit_teammate_choices,
    volunteer_totals,
)
from .services import (
    HOUSEHOLD_FIELDS,
    Conflict,
    contact_view_record,
    household_create,
    household_update,
    visit_can_edit,
    visit_can_withdraw,
    visit_edit,
    visit_withdraw,
)
from .services import visit_record as visit_record_service
from .sync import DOOR as SYNC_DOOR

READERS = FIELD | COORDINATION
PAGE_SIZE = 50


def _steps(household=None) -> list[dict]:
    """The one-tap steps in chain order; for a known household those still ahead of it (the
    volunteer ticks each one done in this sitting: install and level 1, say)."""
    steps = [
        {"value": value, "label": label, "rank": status_rank(value)}
        for value, label in STEP_ACTIONS.items()
    ]
    if household is not None:
        reached = status_rank(household.digital_status)
        steps = [step for step in steps if step["rank"] > reached]
    return steps


@role_required(READERS)
def household_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    chosen = request.GET.get("filter", "")
    households = household_walk_list_for(user=request.user, search=search, filter=chosen)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "filter": chosen,
        "filters": [
            ("", _("Tất cả")),
            (FILTER_UNVISITED, _("Chưa thăm")),
            (FILTER_PENDING, _("Còn bước tiếp")),
        ],
        "field": can_log_visits(user=request.user),
    }
    return render(request, "households/list.html", context)


@role_required(FIELD)
def household_create_view(request: HttpRequest) -> HttpResponse:
    areas = household_groups_for(user=request.user)
    form = HouseholdForm(request.POST or None, areas=areas, initial={"members": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household, _created = household_create(
                user=request.user,
                area=data["area"],
                data=data,
                client_id=_client_id(request),
                consent=data["consent"],
                consent_method=data["consent_method"],
                confirm_duplicate=data["confirm_duplicate"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except Conflict:
            form.add_error(None, _("Biểu mẫu này đã được gửi với nội dung khác."))
        else:
            messages.success(request, _("Đã thêm hộ gia đình."))
            return redirect(household.get_absolute_url())
    context = {"form": form, "client_id": uuid.uuid4(), "field": True}
    return render(request, "households/household_form.html", context)


@role_required(FIELD)
@keep_off_device
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_get_for(user=request.user, pk=pk)
    authority_require(user=request.user, action=Action.EDIT, obj=household)
    initial = {
        **{name: getattr(household, name) for name in HOUSEHOLD_FIELDS},
        "area": household.area,
        "consent": household.consent_at is not None,
        "consent_method": household.consent_method or ConsentMethod.IN_PERSON,
    }
    areas = household_groups_for(user=request.user)
    form = HouseholdForm(request.POST or None, areas=areas, initial=initial)
    form.fields["area"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            household_update(
                household=household,
                user=request.user,
                data=form.cleaned_data,
                consent=form.cleaned_data["consent"],
                consent_method=form.cleaned_data["consent_method"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(household.get_absolute_url())
    # The form is filled with the contact: shown, so recorded (as on the household page).
    contact_view_record(user=request.user, household=household, door=ContactDoor.EDIT)
    context = {"form": form, "household": household, "editing": True}
    return render(request, "households/household_form.html", context)


@role_required(READERS)
@keep_off_device
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The household page, which is also where a visit is logged (three taps)."""
    household = household_get_for(user=request.user, pk=pk)
    # The outbox lands here after the server answered for what was just sent: say so on top
    # (the new visit itself is further down the page).
    saved = {"visit": _("Đã lưu lượt thăm."), "household": _("Đã thêm hộ.")}
    if request.GET.get("saved") in saved:
        messages.success(request, saved[request.GET["saved"]])
    # After a visit, where next is one tap away: the next household not yet visited.
    following = None
    if request.GET.get("saved") == "visit" and can_log_visits(user=request.user):
        following = household_next_unvisited(user=request.user, after=household)
    # No result is preselected: a tap on "save" alone must not log a "helped" visit.
    return _detail(request, household, VisitForm(), following=following)


@role_required(FIELD)
@keep_off_device
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Without JavaScript the visit form posts here; with it, the outbox sends it to sync."""
    household = household_get_for(user=request.user, pk=pk)
    authority_require(user=request.user, action=Action.EDIT, obj=household)
    if request.method != "POST":
        return redirect(household.get_absolute_url())
    form = VisitForm(request.POST, teammate_choices=teammate_choices_for(user=request.user))
    if form.is_valid():
        try:
            visit_record_service(
                volunteer=request.user,
                household=household,
                client_id=_client_id(request),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except Conflict:
            form.add_error(None, _("Biểu mẫu này đã được gửi với nội dung khác."))
        else:
            # As after the outbox's save: the page says so and offers the next household.
            return redirect(household.get_absolute_url() + "?saved=visit")
    return _detail(request, household, form, status=400)


def _detail(request, household, form, status: int = 200, following=None) -> HttpResponse:
    field = can_log_visits(user=request.user)
    # The page shows the contact (name, phone): recorded, one INSERT, only if there is one.
    contact_view_record(user=request.user, household=household, door=ContactDoor.DETAIL)
    if field:
        form.fields["teammates"].choices = teammate_choices_for(user=request.user)
    context = {
        "household": household,
        "form": form,
        "field": field,
        "steps": _steps(household),
        "chain_values": STATUS_CHAIN,
        "visits": visit_list_for_household(household=household),
        "status_changes": household.status_changes.select_related("changed_by")[:20],
        "chain": [
            {"label": label, "done": status_rank(value) <= status_rank(household.digital_status)}
            for value, label in DigitalStatus.choices
        ],
        "client_id": uuid.uuid4(),
        "following": following,
        "counts_in": _counts_in(household) if field else None,
    }
    return render(request, "households/detail.html", context, status=status)


def _counts_in(household):
    """Where a visit logged today counts, when that is not the household's own group: a
    pre-2025 group that stopped with the reform counts in today's ward, approximately where
    the old ward was split (the coordinator can carry the group over)."""
    attribution = area_attribution(area=household.area, day=timezone.localdate())
    return attribution if attribution.area.pk != household.area_id else None


@role_required(FIELD)
def my_visits(request: HttpRequest) -> HttpResponse:
    visits = list(visit_recent_for(user=request.user))
    for visit in visits:
        visit.editable = visit_can_edit(visit=visit, user=request.user)
        visit.withdrawable = visit_can_withdraw(visit=visit, user=request.user)
    context = {"totals": volunteer_totals(user=request.user), "visits": visits, "field": True}
    return render(request, "households/my_visits.html", context)


@role_required(FIELD)
def visit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for(user=request.user, pk=pk)
    if not visit_can_edit(visit=visit, user=request.user):
        raise Http404
    initial = {name: getattr(visit, name) for name in VisitForm.base_fields if name != "teammates"}
    initial["teammates"] = list(visit.teammates.values_list("pk", flat=True))
    form = VisitForm(
        request.POST or None,
        initial=initial,
        teammate_choices=visit_teammate_choices(visit=visit),
    )
    form.fields["status_to"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            visit_edit(visit=visit, editor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã sửa lượt thăm."))
            return redirect("households:my-visits")
    context = {
        "visit": visit,
        "form": form,
        "edits": visit_edit_history(visit=visit),
        "withdrawable": visit_can_withdraw(visit=visit, user=request.user),
    }
    return render(request, "households/visit_edit.html", context)


@role_required(FIELD)
@require_POST
def visit_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A mistaken visit taken back by its author (the row stays, audited; counts move back)."""
    visit = visit_get_for(user=request.user, pk=pk)
    if not visit_can_withdraw(visit=visit, user=request.user):
        raise Http404
    visit_withdraw(visit=visit, user=request.user)
    messages.success(request, _("Đã rút lại lượt thăm: lượt này không còn được tính."))
    return redirect("households:my-visits")


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
        "steps": _steps(),
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


def _client_id(request: HttpRequest) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return uuid.uuid4()
