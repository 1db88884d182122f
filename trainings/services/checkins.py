"""Attendees sign in on their own phones. The same person twice counts once."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.phones import normalize_phone
from core.privacy import privacy_check_fields
from core.text import search_key

from ..models import AgeGroup, CheckIn, TrainingSession
from .sessions import _locked, _recounted

OPENS_BEFORE = datetime.timedelta(minutes=60)
CLOSES_AFTER = datetime.timedelta(hours=2)


def checkin_open_window(session: TrainingSession) -> tuple[datetime.datetime, datetime.datetime]:
    """Check-in is open from an hour before the class to two hours after it ends."""
    return session.start - OPENS_BEFORE, session.end + CLOSES_AFTER


def checkin_is_open(session: TrainingSession, now: datetime.datetime | None = None) -> bool:
    opens, closes = checkin_open_window(session)
    return opens <= (now or timezone.now()) <= closes


def person_key(*, session_id: int, name: str, phone: str, device_token: str) -> str:
    """Who this is, without keeping who this is: an HMAC of the phone, else name + device."""
    if phone:
        identity = f"{session_id}:phone:{phone}"
    else:
        identity = f"{session_id}:name:{search_key(name)}:{device_token}"
    return hmac.new(settings.SECRET_KEY.encode(), identity.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def checkin_record(
    *,
    session: TrainingSession,
    name: str,
    phone: str = "",
    age_group: str = "",
    consent: bool = False,
    device_token: str = "",
    now: datetime.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Sign an attendee in. Returns (check-in, created); a second sign-in returns the first."""
    now = now or timezone.now()
    if not checkin_is_open(session, now):
        opens, closes = checkin_open_window(session)
        raise ValidationError(
            _("Điểm danh chỉ mở từ %(opens)s đến %(closes)s.")
            % {
                "opens": timezone.localtime(opens).strftime("%H:%M %d/%m/%Y"),
                "closes": timezone.localtime(closes).strftime("%H:%M %d/%m/%Y"),
            },
            code="closed",
        )
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Hãy nhập họ và tên.")})
    privacy_check_fields({"name": name})  # kept without full_clean(): the one guard, here
    phone = normalize_phone(phone) if (phone or "").strip() else ""
    if not phone and not device_token:
        raise ValidationError({"phone": _("Hãy nhập số điện thoại để điểm danh.")})
    if age_group and age_group not in AgeGroup.values:
        raise ValidationError({"age_group": _("Nhóm tuổi không hợp lệ.")})
    key = person_key(session_id=session.pk, name=name, phone=phone, device_token=device_token)
    session = _locked(session)
    existing = CheckIn.objects.filter(session=session, person_key=key).first()
    if existing is not None:
        return existing, False
    checkin = CheckIn(
        session=session,
        person_key=key,
        name=name[:150] if consent else "",
        phone=phone if consent else "",
        age_group=age_group,
        consent=consent,
    )
    created = True

    def change() -> None:
        nonlocal checkin, created
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError:
            checkin = CheckIn.objects.get(session=session, person_key=key)
            created = False

    _recounted(session, change)
    return checkin, created
