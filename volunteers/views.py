from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .access import COORDINATION, public, role_required, signed_in
from .home import home_sections_for
from .models import Role
from .scoping import user_roles
from .selectors import membership_list_for, team_list_for


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if not roles:
        return render(request, "volunteers/no_role.html", status=200)
    context = {
        "memberships": membership_list_for(user=request.user),
        "sections": home_sections_for(user=request.user, roles=roles),
    }
    return render(request, "volunteers/home.html", context)


@role_required(COORDINATION | {Role.TEAM_LEADER})
def team_list(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/team_list.html", {"teams": team_list_for(user=request.user)})


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
