import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .mfa import mfa_missing


class UserLanguageMiddleware:
    """Use the signed-in user's preferred language unless they just picked one with the switch."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Ward coordinators and above must enrol TOTP before they can use the product."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/sw.js", "/manifest.webmanifest")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_enrol(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enrol(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        return mfa_missing(user=user)


class SessionActivityMiddleware:
    """Keep sessions alive while they are used, without a database write on every request.

    Sessions end after SESSION_COOKIE_AGE of inactivity: touching the session renews its expiry.
    Touching at most once per TOUCH_INTERVAL keeps that promise to within the interval while
    sparing the hot path (a volunteer's sync) an UPDATE and a COMMIT per request.
    """

    TOUCH_INTERVAL = 15 * 60
    KEY = "_tungnha_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.TOUCH_INTERVAL:
                session[self.KEY] = now
        return response
