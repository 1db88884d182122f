"""Split a Vietnamese address written in one cell into house number, alley and street."""

import re

from core.text import search_key

_ALLEY = ("ngo ", "ngach ", "hem ", "kiet ", "kiot ")
_STREET = ("pho ", "duong ", "dg ", "d. ", "p. ")
_NUMBER = ("so nha ", "so ", "sn ")
_STARTS_WITH_NUMBER = re.compile(r"^\d+[a-z]?(?:[/-]\d+[a-z]?)*\b", re.IGNORECASE)
_KEYWORD = re.compile(r"(?i)\b(ngõ|ngách|hẻm|kiệt|phố|đường)\b")


def split_address(text: str) -> tuple[str, str, str]:
    """ "Số 12, ngõ 34/5, phố Định Công" -> ("12", "ngõ 34/5", "phố Định Công")."""
    text = " ".join(text.split())
    if "," not in text:
        # "12 ngõ 34 phố Định Công": cut before each keyword.
        text = _KEYWORD.sub(lambda match: ", " + match.group(0), text).strip(", ")
    number, alleys, streets = "", [], []
    for position, part in enumerate(piece.strip() for piece in text.split(",")):
        if not part:
            continue
        key = search_key(part) + " "
        if key.startswith(_NUMBER) and not number:
            number = part.split(" ", 2)[-1] if key.startswith("so nha ") else part.split(" ", 1)[1]
        elif key.startswith(_ALLEY):
            alleys.append(part)
        elif key.startswith(_STREET):
            streets.append(part)
        elif position == 0 and _STARTS_WITH_NUMBER.match(part) and not number:
            number = part
        else:
            streets.append(part)
    return number.strip(), ", ".join(alleys), ", ".join(streets)
