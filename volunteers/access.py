"""Who may open a view. Every project URL declares a rule; the access-matrix test enforces it."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Role
from .scoping import user_roles

ALL_ROLES = frozenset(Role.values)
FIELD = frozenset({Role.VOLUNTEER, Role.TEAM_LEADER})
COORDINATION = frozenset({Role.WARD_COORDINATOR, Role.DISTRICT_UNION, Role.CITY_UNION, Role.ADMIN})
WARD_AND_UP = COORDINATION
DISTRICT_AND_UP = frozenset({Role.DISTRICT_UNION, Role.CITY_UNION, Role.ADMIN})
CITY_AND_UP = frozenset({Role.CITY_UNION, Role.ADMIN})

View = Callable[..., HttpResponse]


def role_required(roles: Iterable[str]) -> Callable[[View], View]:
    """Allow signed-in users holding one of `roles`; others get 403, anonymous users a login."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user_roles(request.user) & allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_roles = allowed
        return wrapped

    return decorator


def signed_in(view: View) -> View:
    """Any signed-in user, with or without a role (the page itself says what they may do)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.access_roles = "signed_in"
    return wrapped


def public(view: View) -> View:
    """Open to anyone: the login page's neighbours, the PWA shell, the attendee check-in."""
    view.access_roles = "public"
    return view
