"""Rules that protect the people behind the records: no ID numbers, no codes, no passwords.

Volunteers coach people through VNeID; they never hold a citizen ID number, an OTP or a password.
Free-text notes are the one place such a thing could slip in, so they are checked on every write.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from areas.text import search_key

# Digits separated by spaces, dots or dashes still form one number ("0010 9300 1234").
_DIGIT_GAPS = re.compile(r"(?<=\d)[ .\-](?=\d)")
_ID_LIKE = re.compile(r"(?<!\d)\d{12}(?!\d)")
_CODE = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
# Words after which a short number is a one-time code: "OTP", "mã", "mã xác thực", "code".
_CODE_WORDS = re.compile(r"\b(otp|ma|code|pin)\b")
_SECRET_WORDS = re.compile(r"\b(mat khau|password|pass|mk)\b\s*[:=]?\s*\S+")
_NEAR = 24  # characters between the word and the code


def sensitive_text_check(text: str) -> None:
    """Refuse notes holding an ID-like number, an OTP-like code or a password."""
    if not text:
        return
    folded = _DIGIT_GAPS.sub("", search_key(text))
    if _ID_LIKE.search(folded):
        raise ValidationError(
            _(
                "Ghi chú có dãy 12 chữ số giống số CCCD. Không ghi số định danh cá nhân: "
                "công việc không cần đến nó."
            ),
            code="id_number",
        )
    for word in _CODE_WORDS.finditer(folded):
        window = folded[word.end() : word.end() + _NEAR]
        if _CODE.search(window):
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
