"""Rules that protect the people behind the records: no ID numbers, no codes, no passwords.

Volunteers coach people through VNeID; they never hold a citizen ID number, an OTP or a password.
Free-text notes are the one place such a thing could slip in, so they are checked on every write.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text import search_key

# Digits written in groups ("0010 9300 1234", "001.093.001.234") still form one number.
_DIGIT_RUN = re.compile(r"\d+(?:[ .\-]\d+)*")
_DIGIT_GAP = re.compile(r"[ .\-]")
_ID_DIGITS = 12
_GROUP_MIN = 3  # shorter groups are counts or times beside a number, not part of it
_CODE = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
# Words after which a short number is a one-time code: "OTP", "mã", "mã xác thực", "code";
# written with the digits straight after too ("OTP123456").
_CODE_WORDS = re.compile(r"\b(otp|ma|code|pin)(?=\b|\d)")
_SECRET_WORDS = re.compile(r"\b(mat khau|password|pass|mk)\b\s*[:=]?\s*\S+")
_NEAR = 24  # characters between the word and the code


def _has_id_like_number(text: str) -> bool:
    """Twelve digits in a row, or in consecutive groups that add up to twelve: an ID number
    beside a phone number ("001093001234 0912345678") is found as well as one in groups."""
    for run in _DIGIT_RUN.finditer(text):
        sizes = [len(group) for group in _DIGIT_GAP.split(run.group())]
        for start in range(len(sizes)):
            total = 0
            for size in sizes[start:]:
                if size < _GROUP_MIN or total + size > _ID_DIGITS:
                    break
                total += size
                if total == _ID_DIGITS:
                    return True
    return False


def _has_code_after_a_code_word(text: str) -> bool:
    joined = _DIGIT_GAP.sub("", text)  # "mã 123 456" is one code; checked both ways
    for variant in (text, joined):
        for word in _CODE_WORDS.finditer(variant):
            if _CODE.search(variant[word.end() : word.end() + _NEAR]):
                return True
    return False


def sensitive_text_check(text: str) -> None:
    """Refuse notes holding an ID-like number, an OTP-like code or a password."""
    if not text:
        return
    folded = search_key(text)
    if _has_id_like_number(folded):
        raise ValidationError(
            _(
                "Ghi chú có dãy 12 chữ số giống số CCCD. Không ghi số định danh cá nhân: "
                "công việc không cần đến nó."
            ),
            code="id_number",
        )
    if _has_code_after_a_code_word(folded):
        raise ValidationError(
            _(
                "Ghi chú có vẻ chứa mã OTP hoặc mã xác thực. Không bao giờ ghi lại mã của "
                "người dân: họ tự nhập mã trên máy của mình."
            ),
            code="otp",
        )
    if _SECRET_WORDS.search(folded):
        raise ValidationError(
            _("Ghi chú có vẻ chứa mật khẩu. Không ghi lại mật khẩu của người dân."),
            code="password",
        )
