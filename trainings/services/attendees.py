"""The attendee list a trainer types (one person a line: name, phone, age group), parsed
and checked by the one privacy guard before it is bulk-inserted."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.phones import normalize_phone
from core.privacy import privacy_check

from ..models import (
    AgeGroup,
)


@dataclass(frozen=True)
class AttendeeInput:
    name: str
    phone: str = ""
    age_group: str = ""


_AGE_ALIASES = {
    "<18": AgeGroup.UNDER_18,
    "duoi 18": AgeGroup.UNDER_18,
    "dưới 18": AgeGroup.UNDER_18,
    "18-35": AgeGroup.AGE_18_35,
    "18–35": AgeGroup.AGE_18_35,
    "36-59": AgeGroup.AGE_36_59,
    "36–59": AgeGroup.AGE_36_59,
    "60+": AgeGroup.AGE_60_PLUS,
    ">=60": AgeGroup.AGE_60_PLUS,
    "từ 60 tuổi": AgeGroup.AGE_60_PLUS,
}


def _age_group(raw: str) -> str:
    text = " ".join(raw.strip().lower().split())
    if not text:
        return ""
    if text in AgeGroup.values:
        return text
    return _AGE_ALIASES.get(text, "?")


def attendees_parse(text: str) -> list[AttendeeInput]:
    """One attendee a line: "name, phone, age group" (phone and age group optional)."""
    people: list[AttendeeInput] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(",")]
        name, phone, age = [*parts, "", ""][:3]
        if not name:
            errors.append(_("Dòng %(line)d: thiếu họ tên.") % {"line": number})
            continue
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValidationError:
                errors.append(
                    _("Dòng %(line)d: số điện thoại “%(phone)s” không hợp lệ.")
                    % {"line": number, "phone": phone}
                )
                continue
        age_group = _age_group(age)
        if age_group == "?":
            errors.append(
                _("Dòng %(line)d: nhóm tuổi “%(age)s” không rõ (dùng: dưới 18, 18-35, 36-59, 60+).")
                % {"line": number, "age": age}
            )
            continue
        people.append(AttendeeInput(name=name[:150], phone=phone, age_group=age_group))
    if errors:
        raise ValidationError(errors, code="attendee_list")
    return people


def _attendees_privacy_check(attendees: Sequence[AttendeeInput]) -> None:
    """The one privacy guard on the list, which is bulk-inserted without full_clean()."""
    for number, person in enumerate(attendees, start=1):
        try:
            privacy_check(person.name)
        except ValidationError as problem:
            raise ValidationError(
                {
                    "attendees": _("Người thứ %(number)d: %(problem)s")
                    % {"number": number, "problem": " ".join(problem.messages)}
                },
                code=problem.code,
            ) from None
