"""Text as people type it: one spelling (NFC) for what is stored, accent-free keys for search.

"Định Công" typed with decomposed accents (NFD: "Đi" + U+0323 …) looks the same as the
composed one but is another string: it breaks equality, Excel filters and unique checks. Every
door that takes text (imports, forms) stores it NFC; search folds both spellings alike.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Twelve digits in a row, however spaced ("001 088 012 345", "001.088.012.345"): a citizen ID.
_ID_NUMBER = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){11}(?!\d)")


def text_nfc(text: str) -> str:
    """`text` in its composed form (NFC); ASCII and already-composed text cost one C check."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def text_normalise(text: str) -> str:
    """NFC, trimmed, inner whitespace (tabs, newlines, runs of spaces) collapsed to one space."""
    return text_nfc(" ".join(text.split()))


def mask_id_numbers(text: str) -> str:
    """Twelve-digit numbers (citizen IDs) masked but for their last 3 digits, for messages."""
    if not any(ch.isdigit() for ch in text):
        return text
    return _ID_NUMBER.sub(lambda match: "•" * 9 + re.sub(r"\D", "", match.group(0))[-3:], text)


def search_key(text: str) -> str:
    """Fold Vietnamese text to lowercase ASCII words so that search ignores accents."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", ascii_text.lower()).strip()


def text_nfc_all(value: object) -> object:
    """`value` with every string in it NFC (dict keys and values, list items, nested): the one
    normaliser the doors apply (forms through core.middleware, the sync protocol, imports)."""
    if isinstance(value, str):
        return text_nfc(value)
    if isinstance(value, dict):
        return {text_nfc_all(key): text_nfc_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [text_nfc_all(item) for item in value]
    return value
