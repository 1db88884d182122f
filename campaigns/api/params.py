"""Strict parameters: what the document says is what is taken, and nothing else.

Integers are ASCII digits only, without sign, spaces, leading zeros or a fraction ("²", "٣",
"+5", "5.0", "00307" are refused: the last is a national code, which `area_code` takes).
A parameter given twice or empty is refused (StrictParser); dates and moments are ISO 8601;
every range is checked. A refusal is a 400 with the `Error` body, never a 500 and never another
unit's numbers.
"""

import datetime
import re
import unicodedata
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.parser import Parser
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .errors import bad_parameter

MAX_ID = 9_223_372_036_854_775_807  # a bigint: larger would overflow the database driver
_DIGITS = re.compile(r"[1-9][0-9]{0,18}", re.ASCII)
_LEADING_ZERO = re.compile(r"0[0-9]+", re.ASCII)
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,31}", re.ASCII)
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII,
)


def _ascii_int(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("ascii_integer", "not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    if isinstance(value, str) and _LEADING_ZERO.fullmatch(value):
        raise PydanticCustomError("looks_like_code", "a national code, not an id")
    raise PydanticCustomError("ascii_integer", "not an integer")


def _code(value: Any) -> Any:
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value
    raise PydanticCustomError("area_code", "not a unit code")


def _moment(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        try:
            return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    raise PydanticCustomError("moment", "not an ISO 8601 moment with its offset")


def _text(value: Any) -> Any:
    """Free text (a name to search): no control characters (NUL is refused by PostgreSQL)."""
    if isinstance(value, str) and not any(unicodedata.category(c) == "Cc" for c in value):
        return value
    raise PydanticCustomError("text", "not searchable text")


def _integer(low: int, high: int) -> Any:
    """An integer in [low, high] taken only as ASCII digits: bounds first, so the document
    says them (minimum, maximum), then the strict reading of the text wraps them."""
    return Annotated[int, Field(ge=low, le=high), BeforeValidator(_ascii_int)]


def _about(description: str, example: object, **field: Any) -> Any:
    return Field(description=description, json_schema_extra={"example": example}, **field)


def Id(description: str, example: int = 1) -> Any:
    return Annotated[_integer(1, MAX_ID), _about(description, example)]


_Code = Annotated[
    str,
    Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$"),
    BeforeValidator(_code),
]
_Moment = Annotated[datetime.datetime, BeforeValidator(_moment)]
_Text = Annotated[
    str,
    Field(min_length=1, max_length=100, pattern="^[^\\u0000-\\u001f\\u007f-\\u009f]+$"),
    BeforeValidator(_text),
]

AreaId = Annotated[
    _integer(1, MAX_ID) | None,
    _about("Area id (from /areas/). Or give `area_code` and `era` instead.", 307, default=None),
]
AreaCode = Annotated[
    _Code | None,
    _about(
        "The unit's national code (as in the national list), with `era`: codes are reused "
        "across eras. Instead of `area`.",
        "00307",
        default=None,
    ),
]
EraParam = Annotated[
    Literal["legacy", "current"] | None,
    _about(
        "`legacy`: the tree before 1 July 2025 (with districts); `current`: the two-tier tree "
        "since. With `area_code`, defaults to the campaign's era.",
        "current",
        default=None,
    ),
]
Moment = Annotated[
    _Moment | None,
    _about(
        "ISO 8601 with its offset (e.g. 2026-03-10T08:00:00+07:00): only rows whose totals "
        "moved after it.",
        "2026-03-10T08:00:00+07:00",
        default=None,
    ),
]
SearchText = Annotated[
    _Text | None,
    _about("Words of the name, accents ignored (`phuong dinh cong`).", "dinh cong", default=None),
]
Page = Annotated[_integer(1, 1_000_000), _about("Page number, from 1.", 1, default=1)]
PageSize = Annotated[_integer(1, 500), _about("Rows per page (500 at most).", 100, default=100)]
Depth = Annotated[
    _integer(1, 4),
    _about(
        "How many levels below the area (1: its children; 3 from a legacy city: districts, "
        "wards and residential groups).",
        2,
        default=1,
    ),
]
LevelParam = Annotated[
    _integer(1, 4) | None,
    _about(
        "1 province/city, 2 district (legacy only), 3 ward/commune, 4 residential group.",
        3,
        default=None,
    ),
]
Format = Annotated[
    Literal["json", "csv", "xlsx"],
    _about(
        "`csv` or `xlsx`: the same rows as a spreadsheet (every row, not a page).",
        "json",
        default="json",
    ),
]


class StrictParser(Parser):
    """Refuses a query parameter given twice (which one would count?) or empty."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict:
        for key, values in data.lists():
            if len(values) > 1 and key not in list_fields:
                raise bad_parameter(key, _("Tham số %(name)s chỉ được có một lần.") % {"name": key})
            if any(value == "" for value in values):
                raise bad_parameter(key, _("Tham số %(name)s đang để trống.") % {"name": key})
        return super().parse_querydict(data, list_fields, request)
