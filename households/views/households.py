"""The household pages: the walk list, adding and editing a household, and its page, where a
visit is logged (three taps; without JavaScript the visit form posts to `visit_create`)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.selectors import area_attribution
from core.devices import keep_off_device
from core.forms import errors_to_form
from volunteers.access import FIELD, role_required
from volunteers.authority import Action, authority_require

from ..forms import HouseholdForm, VisitForm
from ..models import STATUS_CHAIN, ConsentMethod, ContactDoor, DigitalStatus, status_rank
from ..selectors import (
    FILTER_PENDING,
    FILTER_UNVISITED,
    can_log_visits,
    household_get_for,
    household_groups_for,
    household_next_unvisited,
    household_walk_list_for,
    teammate_choices_for,
    visit_list_for_household,
)
from ..services import (
    HOUSEHOLD_FIELDS,
    Conflict,
    contact_view_record,
    household_create,
    household_update,
)
from ..services import visit_record as visit_record_service
from .common import PAGE_SIZE, READERS, one_tap_steps, posted_client_id


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
                client_id=posted_client_id(request),
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
                client_id=posted_client_id(request),
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
        "steps": one_tap_steps(household),
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
