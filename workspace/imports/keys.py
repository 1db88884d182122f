"""The search and address keys of core.text / households.services, computed fast for imports.

Same results, always (tests compare them on tricky text): the fast path strips the combining
marks of Vietnamese with one regex and is taken only when what remains is plain ASCII, where
both ways provably agree; anything else goes through the canonical functions.
"""

import re
import unicodedata

from core.text import search_key
from households.services import address_key as canonical_address_key

_SPACES = re.compile(r"\s+")
# Combining diacritical marks, minus U+034F (the grapheme joiner, combining class 0, kept).
_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")
_NOT_WORD = re.compile(r"[^a-z0-9 ]")
_PREFIXES = ("so nha ", "so ", "phong ", "can ho ")


def fold(text: str) -> str:
    """== core.text.search_key(text)."""
    if not text.isascii():
        text = text.replace("đ", "d").replace("Đ", "D")
        stripped = _MARKS.sub("", unicodedata.normalize("NFKD", text))
        if not stripped.isascii():
            return search_key(text)
        text = stripped
    # NFKD leaves ASCII as it is, and no ASCII character is a combining mark.
    return _SPACES.sub(" ", text.lower()).strip()


def fold_address(*, house_number: str, alley: str, street: str, apartment: str) -> str:
    """== households.services.address_key(...)."""
    words = fold(" ".join([house_number, alley, street, apartment]))
    if not words.isascii():
        return canonical_address_key(
            house_number=house_number, alley=alley, street=street, apartment=apartment
        )
    for prefix in _PREFIXES:
        words = words.replace(prefix, "")
    # For ASCII, str.isalnum() is [A-Za-z0-9]; the text is already lower case.
    return _NOT_WORD.sub("", words).strip()
