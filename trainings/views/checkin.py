"""The page an attendee opens by scanning the trainer's QR code: public, one short form."""

import secrets

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.forms import errors_to_form
from volunteers.access import public
from volunteers.throttle import client_ip, throttle_allows

from ..forms import CheckInForm
from ..models import TrainingSession
from ..services import checkin_record
from ..services.checkins import checkin_is_open

DEVICE_COOKIE = "tn_device"
DEVICE_MAX_AGE = 365 * 24 * 3600
# A class shares one Wi-Fi (one address), so the per-address limit is generous; one phone
# checking in again and again is the abuse to stop.
CHECKINS_PER_ADDRESS = 150
CHECKINS_PER_DEVICE = 6
WINDOW_SECONDS = 15 * 60


def _checkin_allowed(request: HttpRequest, session: TrainingSession, device: str) -> bool:
    by_address = throttle_allows(
        key=f"checkin:{session.pk}:ip:{client_ip(request)}",
        limit=CHECKINS_PER_ADDRESS,
        period_seconds=WINDOW_SECONDS,
    )
    by_device = throttle_allows(
        key=f"checkin:{session.pk}:dev:{device}",
        limit=CHECKINS_PER_DEVICE,
        period_seconds=WINDOW_SECONDS,
    )
    return by_address and by_device


@public
@never_cache
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    session = get_object_or_404(
        TrainingSession.objects.select_related("area").prefetch_related("topics"),
        checkin_token=token,
    )
    device = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    form = CheckInForm(request.POST or None)
    done = None
    throttled = request.method == "POST" and not _checkin_allowed(request, session, device)
    if throttled:
        form.add_error(None, _("Bạn đã điểm danh quá nhiều lần. Vui lòng thử lại sau ít phút."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin_obj, created = checkin_record(
                session=session,
                name=data["name"],
                phone=data["phone"],
                age_group=data["age_group"],
                consent=data["consent"],
                device_token=device,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            done = {"created": created, "checkin": checkin_obj}
    context = {
        "session": session,
        "form": form,
        "done": done,
        "is_open": checkin_is_open(session),
    }
    response = render(request, "trainings/checkin.html", context, status=429 if throttled else 200)
    response.set_cookie(
        DEVICE_COOKIE,
        device,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
