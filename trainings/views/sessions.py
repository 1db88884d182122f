"""Plan, show, report, edit and list training sessions: the volunteer's phone, the ward's desk."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.devices import keep_off_device
from core.forms import errors_to_form
from core.qr import qr_svg
from core.sync import sync_response
from volunteers.access import ALL_ROLES, role_required
from volunteers.authority import Action

from ..counting import session_attendees
from ..filters import SessionFilter
from ..forms import ReportForm, SessionForm
from ..models import SessionPhoto, TrainingSession
from ..resources import SessionResource
from ..selectors import (
    planning_areas_for,
    session_can_edit,
    session_get_for,
    session_list_for,
    topics_for_user,
    trainer_choices_for,
)
from ..services import (
    session_delete,
    session_mark_held,
    session_plan,
    session_report,
    session_update,
)
from ..services.checkins import checkin_is_open, checkin_open_window
from ..sync import DOOR as SYNC_DOOR
from ..tables import SessionTable
from ..thumbnails import photo_thumbnail_make
from .common import export_response, wants_export

PER_PAGE = 25


def _session_form(
    request: HttpRequest, session: TrainingSession | None = None, **kwargs
) -> SessionForm:
    return SessionForm(
        request.POST or None,
        areas=planning_areas_for(user=request.user),
        topics=topics_for_user(user=request.user, session=session),
        trainers=trainer_choices_for(user=request.user, session=session),
        **kwargs,
    )


def _from_script(request: HttpRequest) -> bool:
    """The form was sent by static/js/trainings_offline.js (fetch), not by the browser."""
    return request.headers.get("X-Requested-With") == "fetch"


def _saved(request: HttpRequest, session: TrainingSession) -> HttpResponse:
    # The script follows the URL itself, so the flash message is shown on the next page.
    if _from_script(request):
        return JsonResponse({"status": "created", "url": session.get_absolute_url()})
    return redirect(session.get_absolute_url())


def _editable(request: HttpRequest, pk: int, action: str = Action.EDIT) -> TrainingSession:
    """A session in scope that the user may change: 403 from a role held only elsewhere."""
    session = session_get_for(user=request.user, pk=pk)
    if not session_can_edit(user=request.user, session=session, action=action):
        raise PermissionDenied
    return session


@role_required(ALL_ROLES)
def session_list(request: HttpRequest) -> HttpResponse:
    queryset = session_list_for(user=request.user)
    filterset = SessionFilter(
        request.GET or None,
        queryset=queryset,
        areas=planning_areas_for(user=request.user),
        topics=topics_for_user(user=request.user),
    )
    rows = filterset.qs
    if wants_export(request):
        return export_response(request, SessionResource(), rows, "lop-ky-nang-so")
    table = SessionTable(rows)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "trainings/session_list.html", {"filter": filterset, "table": table})


@role_required(ALL_ROLES)
def session_create(request: HttpRequest) -> HttpResponse:
    form = _session_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_plan(
                user=request.user,
                client_uuid=form.cleaned_data["client_uuid"],
                **form.session_fields(),
            )
        except ValidationError as error:
            errors_to_form(form, error, start_field="day", end_field="end_time")
        else:
            messages.success(request, _("Đã lên kế hoạch lớp học."))
            return _saved(request, session)
    return render(request, "trainings/session_form.html", {"form": form, "session": None})


@role_required(ALL_ROLES)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    form = _session_form(request, session=session, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            session_update(user=request.user, session=session, **form.session_fields())
        except ValidationError as error:
            errors_to_form(form, error, start_field="day", end_field="end_time")
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(session.get_absolute_url())
    return render(request, "trainings/session_form.html", {"form": form, "session": session})


@role_required(ALL_ROLES)
@keep_off_device
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get_for(user=request.user, pk=pk)
    checkin_url = request.build_absolute_uri(
        reverse("trainings:checkin", args=[session.checkin_token])
    )
    opens, closes = checkin_open_window(session)
    context = {
        "session": session,
        "attendees_counted": session_attendees(session),
        "can_edit": session_can_edit(user=request.user, session=session),
        "checkin_open": checkin_is_open(session),
        "checkin_opens": opens,
        "checkin_closes": closes,
        "checkin_url": checkin_url,
        "qr": qr_svg(checkin_url),
        "checkins": session.checkins.order_by("created_at"),
        "attendees": session.attendees.order_by("name"),
        "photos": session.photos.order_by("created_at"),
        "trainers": session.trainers.order_by("full_name"),
        "can_hold": session.state == "planned" and session.start <= timezone.now(),
    }
    return render(request, "trainings/session_detail.html", context)


@role_required(ALL_ROLES)
def session_count(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the QR screen: how many have signed in so far."""
    session = session_get_for(user=request.user, pk=pk)
    return JsonResponse(
        {
            "checkins": session.checkin_total,
            "attendees": session_attendees(session),
        }
    )


@role_required(ALL_ROLES)
@require_POST
def session_held(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    try:
        session_mark_held(user=request.user, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi nhận lớp đã tổ chức."))
    return redirect(session.get_absolute_url())


@role_required(ALL_ROLES)
def session_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    checkins = session.checkins.count()
    initial = {
        "attendee_count": max(session.attendee_count, checkins),
        "notes": session.notes,
    }
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_report(
                user=request.user,
                session=session,
                attendee_count=data["attendee_count"],
                attendees=data["attendees"],
                attendees_consent=data["attendees_consent"],
                photos=data["photos"],
                notes=data["notes"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã gửi báo cáo lớp học."))
            return _saved(request, session)
    return render(
        request,
        "trainings/session_report.html",
        {"form": form, "session": session, "checkins": checkins},
    )


@role_required(ALL_ROLES)
@require_POST
def session_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk, action=Action.DELETE)
    session_delete(user=request.user, session=session)
    messages.success(request, _("Đã xóa lớp học."))
    return redirect("trainings:list")


@role_required(ALL_ROLES)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A session photo, only for people who may see the session."""
    sessions = session_list_for(user=request.user).values("pk")
    item = get_object_or_404(SessionPhoto.objects.filter(session__in=sessions), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(ALL_ROLES)
def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """A session photo's small copy, for the lists; made now for photos stored before
    thumbnails were kept, and the original where the image cannot be read."""
    sessions = session_list_for(user=request.user).values("pk")
    item = get_object_or_404(SessionPhoto.objects.filter(session__in=sessions), pk=pk)
    if not item.thumbnail and not photo_thumbnail_make(photo=item):
        return photo(request, pk)
    try:
        handle = item.thumbnail.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(ALL_ROLES)
def shell(request: HttpRequest, **kwargs) -> HttpResponse:
    """The offline shell: the service worker answers a trainings page with it when there is no
    signal and no copy of that page; its script draws the plan form, a report form or what waits
    in the outbox from what the phone keeps."""
    # Both forms live in one page: distinct ids, so no label points into the other form.
    form = SessionForm(
        areas=planning_areas_for(user=request.user),
        topics=topics_for_user(user=request.user),
        trainers=trainer_choices_for(user=request.user),
        auto_id="plan_%s",
    )
    context = {
        "form": form,
        "report_form": ReportForm(auto_id="report_%s"),
        # Online, the page is titled by what it shows; offline the script re-titles each view.
        "title": _("Lớp học chờ gửi") if request.path.endswith("/outbox/") else _("Lớp kỹ năng số"),
    }
    return render(request, "trainings/shell.html", context)


def _local(request: HttpRequest, uuid: uuid.UUID) -> TrainingSession | None:
    """A session planned offline, by its client id: None while it has not reached the server;
    404 if it exists but outside the user's scope."""
    found = TrainingSession.objects.filter(client_uuid=uuid).select_related("area").first()
    if found is None:
        return None
    return session_get_for(user=request.user, pk=found.pk)


@role_required(ALL_ROLES)
def local_session(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """A session planned offline: its real page once it has arrived, else the shell."""
    session = _local(request, uuid)
    if session is not None:
        return redirect(session.get_absolute_url())
    return shell(request)


@role_required(ALL_ROLES)
def local_report(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """The report form of a session planned offline: the real one once it has arrived."""
    session = _local(request, uuid)
    if session is not None:
        return redirect("trainings:report", pk=session.pk)
    return shell(request)


@role_required(ALL_ROLES)
@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    """The outbox's batch for trainings: {"items": [{"type", "id", "data"}]} -> {"results"}."""
    return sync_response(request, door=SYNC_DOOR)
