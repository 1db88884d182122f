"""One outbox item, read from the phone's JSON with its guards.

Everything a phone sends is checked here before any app sees it: the id is a UUID, the type a
string, the data an object whose values a database can hold (no lone surrogate, no NUL, no
integer past 64 bits, no NaN, no nesting deeper than a form ever sends). A value that breaks
one of these made the whole batch fail once (a 500 the phone resent forever); now it is the
item's own answer. A device time, where an item carries one, is a time a phone can have."""

import math
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

# Item -> data -> a list of attendees -> one attendee -> its fields is four levels; the forms
# send no more. Twice that leaves room without letting a crafted value recurse a parser.
MAX_DEPTH = 8
BIGINT = 2**63 - 1
# The device time every app's item may carry in data["device_time"]. Before this year a phone's
# clock is wrong (reset to its epoch), not the day of a visit: the product's work began later.
DEVICE_TIME, EARLIEST_YEAR = "device_time", 2020


@dataclass(frozen=True)
class Item:
    """An item that passed the protocol's guards; `position` is its place in the request."""

    position: int
    uuid: UUID
    type: str
    data: dict[str, Any]
    made_at: float | None = None  # device time as a UTC timestamp, when it can be read
    seq: int | None = None  # the phone's save order
    raw_id: str = field(default="", compare=False)


class Refused(Exception):
    """The item cannot be applied: `errors` says why, field by field, in the user's language."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def raw_id_of(raw: object) -> str:
    """The id to answer under, whatever the item held (a phone matches answers by it)."""
    value = raw.get("id", "") if isinstance(raw, dict) else ""
    return value if isinstance(value, str) else str(value)


def raw_type_of(raw: object) -> str:
    value = raw.get("type", "") if isinstance(raw, dict) else ""
    return value if isinstance(value, str) else str(value)


def item_read(raw: object, *, position: int, known_types: Container[str]) -> Item:
    """The item, or Refused with the reason the phone will show."""
    if not isinstance(raw, dict):
        raise Refused({"__all__": [_("Mục gửi lên không đúng dạng.")]})
    raw_id = raw.get("id")
    if not isinstance(raw_id, str) or not raw_id:
        raise Refused({"id": [_("Thiếu mã của mục.")]})
    try:
        item_uuid = UUID(raw_id)
    except ValueError:
        raise Refused({"id": [_("Mã không hợp lệ.")]}) from None
    kind, data = raw.get("type"), raw.get("data")
    if not isinstance(kind, str) or kind not in known_types or not isinstance(data, dict):
        raise Refused({"type": [_("Loại bản ghi không hợp lệ.")]})
    problems = value_problems(data) or _device_time_problem(data)
    if problems:
        raise Refused(problems)
    return Item(
        position=position,
        uuid=item_uuid,
        type=kind,
        data=data,
        made_at=_timestamp(raw.get("made_at") or data.get(DEVICE_TIME)),
        seq=_sequence(raw.get("seq")),
        raw_id=raw_id,
    )


def value_problems(data: dict[str, Any]) -> dict[str, list[str]]:
    """What in `data` no field can hold, by top-level key. Walks without recursion, so a
    deep value cannot exhaust the stack here either."""
    problems: dict[str, list[str]] = {}
    for key, value in data.items():
        message = _value_problem(key) or _value_problem_deep(value)
        if message:
            problems[str(key)] = [message]
    return problems


def _value_problem_deep(value: object) -> str | None:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return _("Dữ liệu lồng nhau quá sâu.")
        if isinstance(current, dict):
            for key, inner in current.items():
                message = _value_problem(key)
                if message:
                    return message
                stack.append((inner, depth + 1))
        elif isinstance(current, list):
            stack.extend((inner, depth + 1) for inner in current)
        else:
            message = _value_problem(current)
            if message:
                return message
    return None


def _value_problem(value: object) -> str | None:
    if isinstance(value, str):
        if "\x00" in value:
            return _("Văn bản có ký tự không hợp lệ.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate: half an emoji, cut by a phone keyboard or a truncation.
            return _("Văn bản có ký tự không hợp lệ (có thể là nửa biểu tượng cảm xúc).")
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        if abs(value) > BIGINT:
            return _("Số quá lớn.")
    elif isinstance(value, float) and not math.isfinite(value):
        return _("Số không hợp lệ.")
    return None


def _device_time_problem(data: dict[str, Any]) -> dict[str, list[str]]:
    value = data.get(DEVICE_TIME)
    if value in (None, ""):
        return {}
    stamp = _timestamp(value)
    if stamp is None or stamp < _year_start(EARLIEST_YEAR):
        message = _("Giờ trên máy không hợp lệ: hãy kiểm tra ngày giờ của điện thoại.")
        return {DEVICE_TIME: [message]}
    return {}


def _year_start(year: int) -> float:
    return datetime(year, 1, 1, tzinfo=UTC).timestamp()


def _timestamp(value: object) -> float | None:
    """The device time as seconds since the epoch (UTC); None when it cannot be read, so a
    broken clock changes only the order, never whether the item is heard."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC).timestamp()
    except (ValueError, OverflowError):  # year 1 at +07:00 falls off the calendar in UTC
        return None


def _sequence(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= BIGINT:
        return None
    return value
