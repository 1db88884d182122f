"""What the households services share: the app's sender label, limits, resends."""

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from areas.models import Area, Level
from core.text import search_key
from volunteers.models import User

from ..models import (
    COUNT_FIELDS,
)
from ..selectors import household_scope_for

SENDER = "households"


EDIT_WINDOW = datetime.timedelta(hours=24)


# Phones' clocks drift; more than this ahead of the server is a wrong clock, not a visit.
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


EARLIEST_VISIT = datetime.date(2021, 1, 1)


HOUSEHOLD_FIELDS = [
    "house_number",
    "alley",
    "street",
    "apartment",
    "contact_name",
    "contact_phone",
    "members",
    "notes",
]


VISIT_EDITABLE = ["result", *COUNT_FIELDS, "over_members_confirmed", "notes"]


class Conflict(Exception):
    """A known client id sent with a different payload (HTTP 409): nothing was changed."""

    def __init__(self, existing: Any) -> None:
        super().__init__(_("Mã này đã được dùng cho một bản ghi khác; không thay đổi gì."))
        self.existing = existing


def fingerprint(payload: Mapping[str, Any]) -> str:
    """A hash of the normalized payload: the same item resent gives the same fingerprint."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def address_key(*, house_number: str, alley: str, street: str, apartment: str) -> str:
    """One form for an address however it was typed: "Số 5, Ngõ 12" == "so 5 ngo 12"."""
    words = search_key(" ".join([house_number, alley, street, apartment]))
    for prefix in ("so nha ", "so ", "phong ", "can ho "):
        words = words.replace(prefix, "")
    return "".join(ch for ch in words if ch.isalnum() or ch == " ").strip()


def _scope_check(*, user: User, area: Area) -> None:
    if area.level != Level.GROUP or not household_scope_for(user=user).contains(area):
        raise ValidationError(
            {"area": _("Tổ dân phố này không thuộc địa bàn của bạn.")}, code="scope"
        )


def _same_or_conflict(existing, digest: str):
    if existing.fingerprint != digest:
        raise Conflict(existing)
    return existing, False
