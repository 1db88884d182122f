"""Accent-free search keys: "Phường Định Công" -> "phuong dinh cong"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def search_key(text: str) -> str:
    """Fold Vietnamese text to lowercase ASCII words so that search ignores accents."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", ascii_text.lower()).strip()
