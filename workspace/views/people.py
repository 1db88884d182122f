"""The ward coordinator's workspace: teams, volunteers, invitations, assignments, imports, exports.

Views are thin: find the object inside the coordinator's scope (404 outside), call a service,
render. Lists answer htmx requests with just the table, so filters update it in place.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.forms import errors_to_form
from core.spreadsheets.reader import FileRefused
from volunteers import assignments as svc
from volunteers.access import COORDINATION, public, role_required
from volunteers.claims import claim_issue
from volunteers.forms import JoinForm
from volunteers.invitations import (
    invitation_accept,
    invitation_accept_signed_in,
    invitation_create,
    invitation_problem,
    invitation_qr_svg,
    invitation_revoke,
)
from volunteers.models import Invitation
from volunteers.views import claim_code_response

from ..exports.jobs import export_job_create
from ..filters import VolunteerFilter
from ..forms import (
    AssignmentForm,
    HandoverForm,
    InvitationForm,
    TeamForm,
    UploadForm,
    VolunteerForm,
)
from ..imports.jobs import import_job_confirm, import_job_create
from ..imports.registry import importer_class
from ..imports.templates import template_response
from ..models import (
    ExportJob,
    ExportKind,
    ImportJob,
    ImportKind,
    JobStatus,
)
from ..tables import TeamTable, VolunteerTable

coordinator = role_required(COORDINATION)


def _ward_context(ward) -> dict:
    return {"ward": ward}


def _list_response(request: HttpRequest, template: str, partial: str, context: dict):
    """Full page, or only the table when htmx asks (filters and paging update in place)."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, partial, context)
    return render(request, template, context)


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
    }
    return render(request, "workspace/ward.html", context)


# --- Teams -------------------------------------------------------------------------------------
@coordinator
def team_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    table = TeamTable(svc.teams_of(ward=ward))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {"ward": ward, "table": table, "export_kind": ExportKind.TEAMS}
    return _list_response(request, "workspace/team_list.html", "workspace/_table.html", context)


@coordinator
def team_create(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    form = TeamForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            team = svc.team_create(ward=ward, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Đã lập tổ “%(name)s”.") % {"name": team.name})
            return redirect("workspace:team-detail", pk=team.pk)
    return render(request, "workspace/team_form.html", {"ward": ward, "form": form})


@coordinator
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = svc.team_for(user=request.user, pk=pk)
    members = team.memberships.select_related("user", "area").order_by(
        "-is_active", "user__full_name"
    )
    context = {
        "ward": team.ward,
        "team": team,
        "members": members,
        "invitations": team.invitations.select_related("area").order_by("-created_at")[:10],
        "assignments": team.assignments.active().select_related("area"),
        "invitation_form": InvitationForm(team=team),
    }
    return render(request, "workspace/team_detail.html", context)


# --- Invitations -------------------------------------------------------------------------------
@coordinator
@require_POST
def invitation_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = svc.team_for(user=request.user, pk=pk)
    form = InvitationForm(request.POST, team=team)
    if form.is_valid():
        try:
            invitation = invitation_create(team=team, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("workspace:invitation-detail", pk=invitation.pk)
    else:
        messages.error(request, _("Thông tin lời mời chưa hợp lệ."))
    return redirect("workspace:team-detail", pk=team.pk)


def _invitation_for(request: HttpRequest, pk: int) -> Invitation:
    scope = svc.coordinator_scope(user=request.user)
    return get_object_or_404(
        Invitation.objects.filter(scope.q(field="team__ward")).select_related("team", "area"),
        pk=pk,
    )


@coordinator
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_for(request, pk)
    url = request.build_absolute_uri(reverse("workspace:join", args=[invitation.token]))
    context = {
        "ward": invitation.team.ward,
        "invitation": invitation,
        "url": url,
        "qr": invitation_qr_svg(url),
        "problem": invitation_problem(invitation=invitation),
    }
    return render(request, "workspace/invitation_detail.html", context)


@coordinator
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_for(request, pk)
    invitation_revoke(invitation=invitation)
    messages.success(request, _("Đã thu hồi lời mời."))
    return redirect("workspace:team-detail", pk=invitation.team_id)


@public
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The page a volunteer reaches from the link or the QR code."""
    invitation = get_object_or_404(Invitation.objects.select_related("team", "area"), token=token)
    problem = invitation_problem(invitation=invitation)
    context = {"invitation": invitation, "problem": problem}
    if problem:
        return render(request, "workspace/join.html", context, status=410)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                invitation_accept_signed_in(invitation=invitation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("workspace:join", token=token)
            messages.success(request, _("Bạn đã vào tổ %(team)s.") % {"team": invitation.team})
            return redirect("home")
        return render(request, "workspace/join.html", context)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitation_accept(
                invitation=invitation,
                full_name=data["full_name"],
                phone=data["phone"],
                email=data.get("email") or "",
                password=data["password1"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Chào mừng bạn đến với %(team)s!") % {"team": invitation.team},
            )
            return redirect("home")
    context["form"] = form
    return render(request, "workspace/join.html", context)


# --- Volunteers --------------------------------------------------------------------------------
@coordinator
def volunteer_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    filterset = VolunteerFilter(
        request.GET or None, queryset=svc.volunteers_of(ward=ward), ward=ward
    )
    table = VolunteerTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {
        "ward": ward,
        "filter": filterset,
        "table": table,
        "export_kind": ExportKind.VOLUNTEERS,
    }
    return _list_response(
        request, "workspace/volunteer_list.html", "workspace/_table.html", context
    )


@coordinator
def volunteer_create(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    form = VolunteerForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            user, created = svc.volunteer_add(
                ward=ward, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if created:  # shown once: the code with which they set their own password
                code = claim_issue(user=user, created_by=request.user)
                return claim_code_response(request, volunteer=user, ward=ward, code=code)
            if user is None:  # an existing account: offered the role, neither shown nor changed
                messages.info(
                    request,
                    _(
                        "Số điện thoại này đã có tài khoản. Đã gửi lời mời nhận vai trò; người "
                        "đó sẽ thấy lời mời khi đăng nhập."
                    ),
                )
                return redirect("workspace:volunteer-list", ward_pk=ward.pk)
            messages.info(
                request, _("%(name)s đã ở phường; đã cập nhật tổ.") % {"name": user.full_name}
            )
            return redirect("workspace:volunteer-detail", pk=user.pk)
    return render(request, "workspace/volunteer_form.html", {"ward": ward, "form": form})


@coordinator
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    history = volunteer.assignments.filter(ward=ward).select_related("area", "handed_over_to")
    context = {
        "ward": ward,
        "volunteer": volunteer,
        "memberships": volunteer.memberships.filter(
            area__path__startswith=ward.path
        ).select_related("area", "team"),
        "active": [a for a in history.order_by("area__path") if a.is_active],
        "history": history.filter(released_at__isnull=False).order_by("-released_at")[:20],
        "handover_form": HandoverForm(ward=ward, exclude=volunteer),
    }
    return render(request, "workspace/volunteer_detail.html", context)


@coordinator
@require_POST
def volunteer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    if volunteer.pk == request.user.pk:
        raise Http404
    svc.volunteer_deactivate(ward=ward, volunteer=volunteer)
    messages.success(
        request,
        _("%(name)s đã ngừng hoạt động; địa bàn được giao đã được thu hồi.")
        % {"name": volunteer.full_name},
    )
    return redirect("workspace:volunteer-detail", pk=volunteer.pk)


@coordinator
@require_POST
def volunteer_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    try:
        svc.volunteer_reactivate(ward=ward, volunteer=volunteer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace:volunteer-detail", pk=volunteer.pk)
    messages.success(request, _("%(name)s hoạt động trở lại.") % {"name": volunteer.full_name})
    return redirect("workspace:volunteer-detail", pk=volunteer.pk)


@coordinator
@require_POST
def volunteer_handover(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer, ward = svc.volunteer_for(user=request.user, pk=pk)
    form = HandoverForm(request.POST, ward=ward, exclude=volunteer)
    if form.is_valid():
        try:
            moved = svc.assignment_handover(
                ward=ward,
                from_volunteer=volunteer,
                created_by=request.user,
                to_volunteer=form.cleaned_data["to_volunteer"],
                to_team=form.cleaned_data["to_team"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã bàn giao %(count)d địa bàn.") % {"count": len(moved)})
    else:
        messages.error(request, " ".join(form.non_field_errors()) or _("Chưa chọn người nhận."))
    return redirect("workspace:volunteer-detail", pk=volunteer.pk)


# --- Assignments -------------------------------------------------------------------------------
@coordinator
def assignment_create(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    initial = {"groups": request.GET.getlist("group")}
    form = AssignmentForm(request.POST or None, ward=ward, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = svc.assignment_create(
                ward=ward,
                created_by=request.user,
                areas=data["groups"],
                volunteer=data["volunteer"],
                team=data["team"],
                valid_until=data["valid_until"],
                campaign_label=data["campaign_label"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            renewed = len(data["groups"]) - len(made)
            message = _("Đã giao %(count)d tổ dân phố.") % {"count": len(made)}
            if renewed:
                message += " " + _("%(count)d tổ đã giao trước đó: đã cập nhật ngày kết thúc.") % {
                    "count": renewed
                }
            messages.success(request, message)
            return redirect("workspace:assignments", ward_pk=ward.pk)
    return render(request, "workspace/assignment_form.html", {"ward": ward, "form": form})


@coordinator
def assignment_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    context = {
        "ward": ward,
        "assignments": svc.assignments_of(ward=ward),
        "uncovered": svc.groups_uncovered(ward=ward),
    }
    return render(request, "workspace/assignment_list.html", context)


@coordinator
@require_POST
def assignment_release(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = svc.assignment_for(user=request.user, pk=pk)
    svc.assignment_release(assignment=assignment)
    messages.success(request, _("Đã thu hồi phân công."))
    return redirect("workspace:assignments", ward_pk=assignment.ward_id)


# --- Imports -----------------------------------------------------------------------------------
def _kind(kind: str, choices) -> str:
    if kind not in {value for value, _label in choices}:
        raise Http404
    return kind


@coordinator
def import_start(request: HttpRequest, ward_pk: int, kind: str) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    kind = _kind(kind, ImportKind.choices)
    form = UploadForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                kind=kind,
                ward=ward,
                user=request.user,
                filename=upload.name,
                content=upload.read(),
                options={"consent_all": bool(form.cleaned_data.get("consent_all"))},
            )
        except FileRefused as refused:
            form.add_error("file", refused.message)
        else:
            return redirect("workspace:import-detail", pk=job.pk)
    context = {
        "ward": ward,
        "form": form,
        "kind": kind,
        "kind_label": ImportKind(kind).label,
        "columns": importer_class(kind).columns,
    }
    return render(
        request, "workspace/import_start.html", context, status=400 if form.errors else 200
    )


def _import_job_for(request: HttpRequest, pk: int) -> ImportJob:
    scope = svc.coordinator_scope(user=request.user)
    return get_object_or_404(
        ImportJob.objects.filter(scope.q(field="ward"))
        .defer("content", "records")
        .select_related("ward"),
        pk=pk,
    )


@coordinator
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job_for(request, pk)
    template = "workspace/_import_progress.html" if request.htmx else "workspace/import_detail.html"
    return render(request, template, {"ward": job.ward, "job": job, "JobStatus": JobStatus})


@coordinator
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job_for(request, pk)
    if not import_job_confirm(job=job):
        messages.error(request, _("Lượt nhập này không thể chạy (có lỗi hoặc đã chạy)."))
    return redirect("workspace:import-detail", pk=job.pk)


@coordinator
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind, ImportKind.choices)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return template_response(kind=kind, fmt=fmt)


# --- Exports -----------------------------------------------------------------------------------
@coordinator
@require_POST
def export_create(request: HttpRequest, ward_pk: int, kind: str) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    kind = _kind(kind, ExportKind.choices)
    fmt = "xlsx" if request.POST.get("format") == "xlsx" else "csv"
    filters = {key: value for key, value in request.POST.items() if key.startswith("f_")}
    filters = {key[2:]: value for key, value in filters.items() if value}
    job = export_job_create(kind=kind, fmt=fmt, ward=ward, user=request.user, filters=filters)
    return redirect("workspace:export-detail", pk=job.pk)


def _export_job_for(request: HttpRequest, pk: int) -> ExportJob:
    scope = svc.coordinator_scope(user=request.user)
    return get_object_or_404(
        ExportJob.objects.filter(scope.q(field="ward")).select_related("ward"), pk=pk
    )


@coordinator
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job_for(request, pk)
    template = "workspace/_export_progress.html" if request.htmx else "workspace/export_detail.html"
    return render(request, template, {"ward": job.ward, "job": job, "JobStatus": JobStatus})


@coordinator
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export_job_for(request, pk)
    if job.status != JobStatus.DONE or not job.path:
        raise Http404
    try:
        handle = open(job.path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=job.download_name)
