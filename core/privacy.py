"""The one privacy guard for every free-text field a person types.

Volunteers coach people through VNeID; they never hold a citizen ID number, a one-time code or a
password. Any text field (an address, a contact name, a note, a session title, a team name) is a
place where such a thing could slip in, so every door that writes one calls `privacy_check`:
model fields carry it as a validator (forms, `full_clean()`, the admin) and the services and
importers that write without `full_clean()` call it themselves (`privacy_check_fields`).

What is refused:
- a full citizen ID number (CCCD, 12 digits), however it is spaced or punctuated, with a letter O
  typed for a zero or fullwidth digits; a 9-digit (old CMND) or 12-digit number announced as an
  ID ("CMND 012345678");
- a one-time code announced as such ("OTP … là 482913", "mã xác thực 4 8 2 9 1 3", "OTP123456");
- a password written out ("mật khẩu: Abc@123", "mk 123456", "pw: hoa1990").
What the work needs passes: house numbers ("Số 12 ngõ 34/5"), phones (10 digits, +84…), dates,
times, counts and money.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_NUMBER, CODE, PASSWORD = "id_number", "otp", "password"

ID_MESSAGE = _(
    "Nội dung có một dãy %(digits)d chữ số giống số định danh cá nhân (CCCD/CMND). Không lưu "
    "số định danh: công việc không cần đến nó, và Luật Bảo vệ dữ liệu cá nhân chỉ cho giữ những "
    "gì công việc cần. Hãy xoá dãy số này."
)
CODE_MESSAGE = _(
    "Nội dung có vẻ chứa mã OTP hoặc mã xác thực. Không bao giờ ghi lại mã của người dân: mã "
    "đó mở được tài khoản của họ, họ tự nhập mã trên máy của mình. Hãy xoá mã này."
)
PASSWORD_MESSAGE = _(
    "Nội dung có vẻ chứa một mật khẩu. Không ghi lại mật khẩu của người dân: ai đọc được nó là "
    "vào được tài khoản của họ. Hãy xoá mật khẩu này."
)

_ID_DIGITS, _OLD_ID_DIGITS = 12, 9
_GROUP_MIN = 3  # in an unannounced number, shorter groups are counts beside a number
_SPACES = re.compile(r"[^\S\n]+")
# A letter O typed for a zero: a word of digits and Os only ("0O1093", "OO1O93"), not "ngo12".
_O_FOR_ZERO = re.compile(r"(?<![a-z\d])[o\d]*\d[o\d]*(?![a-z\d])")
# Digits in groups: spaces, dots, dashes, slashes, commas or underscores between them.
_SEPARATOR = r"(?:\s*[.\-/,_·]\s*|\s+)"
_DIGIT_RUN = re.compile(rf"\d+(?:{_SEPARATOR}\d+)*")
_GROUP = re.compile(r"\d+")
# Dates and times are neither IDs nor codes: "12/03/2024", "3/2026", "2024-03-12", "19:30".
_DATES = re.compile(
    r"(?<![\d.\-/])(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d\d|(?:19|20)\d\d-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-](?:19|20)\d\d)(?![\d]|[.\-/]\d)"
    r"|\d{1,2}\s*(?::|h)\s*\d{2}(?!\d)"
)
_MONEY_AFTER = re.compile(r"\s*(?:d|dong|vnd|vnđ|k|nghin|ngan|trieu|ty)(?![a-z])")
_ID_WORDS = re.compile(
    r"(?<![a-z])(?:cccd|cmnd|cmt|can cuoc(?: cong dan)?|chung minh(?: nhan dan| thu)?"
    r"|(?:so |ma )?dinh danh(?: ca nhan)?|so id|id)(?![a-z])"
)
# After an ID word, only these may stand before the number: "CCCD số: …", "CMND của bà là …".
_ID_LEAD = re.compile(
    r"(?:\s*[:=#.\-]?\s*(?:so|la|moi|cu|cua|chu ho|ong|ba|anh|chi|co|chu|bac|em)(?![a-z]))*"
    r"\s*[:=#.\-]?\s*"
)
_STRONG_CODE_WORDS = re.compile(
    r"(?<![a-z])(?:otp|ma (?:xac thuc|xac nhan|xac minh|kich hoat|bao mat|dang nhap|pin|code)"
    r"|pin|code|passcode|verification code)(?![a-z])"
)
# A bare "mã" is a code only with the number straight after it: "mã 482913", not "mã hộ 12".
_PLAIN_CODE_WORD = re.compile(r"(?<![a-z])ma(?: so)?\s*[:=#]?\s*(?=\d)")
_CODE_NEAR = 40  # characters after a code word where its number is looked for
_CODE_MIN, _CODE_MAX = 4, 8
_PASSWORD_WORDS = re.compile(
    r"(?<![a-z])(?:mat khau|matkhau|mat ma|mk|pass|password|passwd|pwd|pw)(?![a-z])"
)
# The clause a code word or a password word speaks about ends at these.
_CLAUSE_END = re.compile(r"[;\n!?]|[.,]\s+(?=[^\d\s])")
_PASSWORD_TOKENS = 5  # words after the password word where the password is looked for
_SYMBOLS = set("@#$%^&*!~+=?<>|\\")
_NOT_A_PASSWORD = {"vneid", "zalo", "facebook", "wifi", "gmail", "email", "iphone", "android"}
_PHONE = re.compile(r"^(?:0\d{9}|84\d{9}|0084\d{9})$")
_TIME_OR_SIZE = re.compile(r"^\d{1,2}h\d{0,2}$|^\d{1,3}(?:k|m|tr|kg|m2|cm)$")


def _fold(text: str) -> str:
    """Lowercase ASCII with accents off, fullwidth digits made plain, invisible marks dropped,
    and a letter O among digits read as the zero it stands for."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("\t", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        ch
        for ch in decomposed
        if ch == "\n"
        or (not unicodedata.combining(ch) and unicodedata.category(ch) not in {"Cf", "Cc"})
    )
    folded = _SPACES.sub(" ", kept.lower()).strip()
    return _O_FOR_ZERO.sub(_zeros, folded)


def _zeros(word: re.Match[str]) -> str:
    text = word.group()
    return text.replace("o", "0") if sum(ch.isdigit() for ch in text) >= 2 else text


def _groups(run: str) -> list[str]:
    return _GROUP.findall(run)


def _is_phone(digits: str) -> bool:
    return bool(_PHONE.match(digits))


def _phone_beside_a_count(groups: list[str]) -> bool:
    """ "0912 345 678 12" is a phone then a count; "12 0912345678" a count then a phone."""
    for count, phone in ((groups[-1:], groups[:-1]), (groups[:1], groups[1:])):
        if (
            len(count[0]) <= 2
            and all(len(group) >= _GROUP_MIN for group in phone)
            and _is_phone("".join(phone))
        ):
            return True
    return False


def _unannounced_id(text: str, run: re.Match[str]) -> bool:
    """Twelve digits in a row, or consecutive groups adding up to twelve (an ID beside a phone
    is found as well as one in groups), or twelve digits typed one or two at a time."""
    groups = _groups(run.group())
    if _MONEY_AFTER.match(text, run.end()):
        return False
    for start in range(len(groups)):
        total = 0
        for end in range(start, len(groups)):
            total += len(groups[end])
            if total > _ID_DIGITS:
                break
            if total < _ID_DIGITS:
                continue
            chosen = groups[start : end + 1]
            if len(chosen) == 1:
                return True  # twelve digits unbroken
            sizes = {len(group) for group in chosen}
            long_groups = min(sizes) >= _GROUP_MIN
            typed_one_by_one = max(sizes) <= 2 and len(chosen) >= 6
            if (
                (long_groups or typed_one_by_one)
                and chosen[0].startswith("0")  # every CCCD starts with its province's 0xx code
                and not _phone_beside_a_count(chosen)
            ):
                return True
    return False


def _announced_id(text: str) -> int:
    """ "CCCD 00 1093 001234", "CMND: 012 345 678": the number after an ID word, any grouping.
    Returns its count of digits (0 when there is none)."""
    for word in _ID_WORDS.finditer(text):
        lead = _ID_LEAD.match(text, word.end())
        run = _DIGIT_RUN.match(text, lead.end() if lead else word.end())
        digits = len("".join(_groups(run.group()))) if run else 0
        if digits in {_OLD_ID_DIGITS, _ID_DIGITS}:
            return digits
    return 0


def _clause(text: str, start: int, limit: int | None = None) -> str:
    window = text[start : start + limit] if limit else text[start:]
    return _CLAUSE_END.split(window, maxsplit=1)[0]


def _looks_like_a_code(run: str) -> bool:
    groups = _groups(run)
    digits = "".join(groups)
    if _is_phone(digits):
        return False
    if _CODE_MIN <= len(digits) <= _CODE_MAX:
        return True
    # "OTP 482913 0912345678": the code first, then something else.
    return _CODE_MIN <= len(groups[0]) <= _CODE_MAX and len(groups) > 1


def _has_code(text: str) -> bool:
    for word in _STRONG_CODE_WORDS.finditer(text):
        window = _DATES.sub(" ; ", _clause(text, word.end(), _CODE_NEAR))
        for run in _DIGIT_RUN.finditer(window):
            if _looks_like_a_code(run.group()):
                return True
    for word in _PLAIN_CODE_WORD.finditer(text):
        run = _DIGIT_RUN.match(text, word.end())
        if run and _looks_like_a_code(run.group()) and not _DATES.match(text, word.end()):
            return True
    return False


def _password_like(token: str, *, right_after: bool, original: str) -> bool:
    token = token.strip("\"'()[]{}.,:;")
    if len(token) < 4 or _is_phone(token.lstrip("+")) or _TIME_OR_SIZE.match(token):
        return False
    has_digit = any(ch.isdigit() for ch in token)
    has_letter = any(ch.isalpha() for ch in token)
    if any(ch in _SYMBOLS for ch in token) and (has_digit or has_letter):
        return True
    if has_digit and (has_letter or token.isdigit()):
        return True
    # "mật khẩu: hoalan": a bare word right after the colon, typed without accents.
    return (
        right_after
        and token.isalpha()
        and len(token) >= 6
        and token not in _NOT_A_PASSWORD
        and re.search(rf"(?<![^\W\d_]){re.escape(token)}(?![^\W\d_])", original, re.I) is not None
    )


def _has_password(text: str, original: str) -> bool:
    for word in _PASSWORD_WORDS.finditer(text):
        clause = _clause(text, word.end())
        right_after = bool(re.match(r"\s*(?:[:=]|la(?![a-z]))", clause))
        tokens = re.split(r"[\s/]+|(?<=[a-z])[:=]|^[:=]", clause.strip())
        words = [token for token in tokens if token][:_PASSWORD_TOKENS]
        for index, token in enumerate(words):
            if token in {"la", ":", "="}:
                continue
            if _password_like(token, right_after=right_after and index <= 1, original=original):
                return True
    return False


# A quick look before the full one (imports check every cell of every row): fewer than four
# digits (or Os) can hold no ID number or code, and without a password word no password.
_MAY_HOLD_A_PASSWORD = re.compile(r"m[aạậâ]t|mk|pass|pw", re.IGNORECASE)
_FEW = 4


def _surely_clean(text: str) -> bool:
    digits = sum(1 for ch in text if ch.isdigit() or ch in "oO")
    return digits < _FEW and not _MAY_HOLD_A_PASSWORD.search(unicodedata.normalize("NFC", text))


def privacy_findings(text: str) -> list[tuple[str, dict[str, int]]]:
    """What the text holds that cannot be kept: (code, message params), the first of each."""
    if not text or not text.strip() or _surely_clean(text):
        return []
    original = unicodedata.normalize("NFKC", text)
    folded = _fold(text)
    found: list[tuple[str, dict[str, int]]] = []
    undated = _DATES.sub(" ; ", folded)
    if any(_unannounced_id(undated, run) for run in _DIGIT_RUN.finditer(undated)):
        found.append((ID_NUMBER, {"digits": _ID_DIGITS}))
    elif announced := _announced_id(folded):
        found.append((ID_NUMBER, {"digits": announced}))
    if _has_code(folded):
        found.append((CODE, {}))
    if _has_password(folded, original):
        found.append((PASSWORD, {}))
    return found


_MESSAGES = {ID_NUMBER: ID_MESSAGE, CODE: CODE_MESSAGE, PASSWORD: PASSWORD_MESSAGE}


def privacy_check(text: Any) -> None:
    """Refuse text holding a citizen ID number, a one-time code or a password (the validator
    on every free-text model field). Raises ValidationError coded id_number, otp or password."""
    if not isinstance(text, str):
        return
    findings = privacy_findings(text)
    if findings:
        code, params = findings[0]
        raise ValidationError(_MESSAGES[code], code=code, params=params)


def privacy_check_fields(values: Mapping[str, Any], fields: Iterable[str] | None = None) -> None:
    """The guard for writes that skip `full_clean()` (bulk inserts, `update()`): every named
    field (every text value when none are named) is checked; errors are keyed by field."""
    errors: dict[str, list[ValidationError]] = {}
    for name in values if fields is None else fields:
        try:
            privacy_check(values.get(name))
        except ValidationError as problem:
            errors[name] = [problem]
    if errors:
        raise ValidationError(errors)


def privacy_check_list(items: Iterable[Any]) -> None:
    """The guard over a list of typed values (an attendee list)."""
    for item in items:
        privacy_check(item)


def privacy_findings_messages(text: Any) -> list[str]:
    """The guard's messages for a text, for importers that report each bad cell by name."""
    try:
        privacy_check(text)
    except ValidationError as problem:
        return list(problem.messages)
    return []
