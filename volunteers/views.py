from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area

from .access import COORDINATION, public, role_required, signed_in
from .assignments import volunteer_for
from .claims import claim_issue, claim_redeem
from .forms import ClaimForm
from .home import home_sections_for
from .invitations import (
    invitation_qr_svg,
    role_invitation_answer,
    role_invitations_pending_for,
)
from .models import Role, User
from .scoping import user_roles
from .selectors import membership_list_for, team_led_by, team_list_for
from .throttle import client_ip, throttle_allows


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    offers = list(role_invitations_pending_for(user=request.user))
    if not roles:
        return render(request, "volunteers/no_role.html", {"offers": offers}, status=200)
    context = {
        "offers": offers,
        "memberships": membership_list_for(user=request.user),
        "sections": home_sections_for(user=request.user, roles=roles),
    }
    return render(request, "volunteers/home.html", context)


@role_required(COORDINATION | {Role.TEAM_LEADER})
def team_list(request: HttpRequest) -> HttpResponse:
    context = {
        "teams": team_list_for(user=request.user),
        # Which cards open the team's page: a coordinator's in-scope teams, a leader's own.
        "coordinates": bool(user_roles(request.user) & COORDINATION),
        "led_ids": set(team_led_by(user=request.user).values_list("pk", flat=True)),
    }
    return render(request, "volunteers/team_list.html", context)


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; remember it on the account too, so it follows the user across phones."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@signed_in
@require_POST
def role_invitation_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in owner accepts or declines a role a coordinator offered them."""
    accept = request.POST.get("decision") == "accept"
    try:
        offer = role_invitation_answer(user=request.user, pk=pk, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accept:
            messages.success(
                request,
                _("Bạn đã nhận vai trò %(role)s tại %(area)s.")
                % {"role": offer.get_role_display(), "area": offer.area.name},
            )
        else:
            messages.info(request, _("Bạn đã từ chối lời mời."))
    return redirect("home")


@role_required(COORDINATION)
@require_POST
def claim_code_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator makes the one-time code of a volunteer they added (shown once, here)."""
    volunteer, ward = volunteer_for(user=request.user, pk=pk)
    try:
        code = claim_issue(user=volunteer, created_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace:volunteer-detail", pk=volunteer.pk)
    return claim_code_response(request, volunteer=volunteer, ward=ward, code=code)


def claim_code_response(
    request: HttpRequest, *, volunteer: User, ward: Area, code: str
) -> HttpResponse:
    """The page that shows a fresh claim code once (never stored in clear, never shown again)."""
    url = request.build_absolute_uri(reverse("volunteers:claim")) + f"?code={code}"
    context = {
        "ward": ward,
        "volunteer": volunteer,
        "code": code,
        "url": url,
        "qr": invitation_qr_svg(url),
    }
    response = render(request, "volunteers/claim_code.html", context)
    response["Cache-Control"] = "no-store"
    return response


# Guessing codes from one address: a handful of tries a minute is plenty for a person.
CLAIM_TRIES_PER_MINUTE = 10


@public
def claim(request: HttpRequest) -> HttpResponse:
    """The owner of a pre-added account types the code they were given and a new password."""
    if request.user.is_authenticated:
        return redirect("home")
    form = ClaimForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST":
        key = f"claim:{client_ip(request)}"
        if not throttle_allows(key=key, limit=CLAIM_TRIES_PER_MINUTE, period_seconds=60):
            form.add_error(None, _("Bạn đã thử quá nhiều lần. Hãy đợi một phút rồi thử lại."))
            status = 429
        elif form.is_valid():
            try:
                user = claim_redeem(
                    code=form.cleaned_data["code"], password=form.cleaned_data["password1"]
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Đã đặt mật khẩu. Chào mừng bạn!"))
                return redirect("home")
        else:
            status = 400
    return render(request, "volunteers/claim.html", {"form": form}, status=status)
