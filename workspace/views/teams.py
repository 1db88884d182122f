"""Teams of a ward and their invitation links (the QR a volunteer scans, the page it opens)."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.forms import errors_to_form
from volunteers import assignments as svc
from volunteers.access import public
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

from ..forms import (
    InvitationForm,
    TeamForm,
)
from ..models import (
    ExportKind,
)
from ..tables import TeamTable
from .common import coordinator, list_response


# --- Teams -------------------------------------------------------------------------------------
@coordinator
def team_list(request: HttpRequest, ward_pk: int) -> HttpResponse:
    ward = svc.ward_for(user=request.user, pk=ward_pk)
    table = TeamTable(svc.teams_of(ward=ward))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = {"ward": ward, "table": table, "export_kind": ExportKind.TEAMS}
    return list_response(request, "workspace/team_list.html", "workspace/_table.html", context)


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
