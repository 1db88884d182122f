"""The walk order of addresses: street, then the place along it, alley by alley, house by house.

A volunteer walks a street from one end: house 33, then ngõ 34 and the houses inside it, then
house 35. So an address sorts by its street (accents folded), then by a path of numbers from
the street inward — the alley's number on the street (where it opens), the ngách inside it,
then the house — so "Số 12, ngõ 34, phố Định Công" sorts as (dinh cong; 34, 12), right after
house 34 on the street itself.

Addresses are written many ways; the parser reads the usual ones and never fails:
- labelled parts, in any field: "số 12", "ngõ 34", "ngách 5", "hẻm 7", "kiệt 3", "phố …",
  "đường …";
- a slash number, read as Hanoi writes it, innermost first: "12/34 Định Công" is house 12 in
  ngõ 34, "5/12/34" house 5 in ngách 12 of ngõ 34;
- a letter after a number ("12A") sorts right after the bare number.
What is not read (no number at all, a landmark) keeps its folded text, after the numbers of
its street: the order is total and stable (ties fall back to the primary key in queries).

The key is one string of letters and digits whose fixed-width parts sort the same under any
database collation (PostgreSQL's locale collations ignore punctuation and spaces).
"""

import re

from core.text import search_key

STREET_WIDTH = 40
NUMBER_WIDTH = 6  # five digits and a letter (or "0")
PATH_DEPTH = 4
REST_WIDTH = 30
WALK_KEY_LENGTH = STREET_WIDTH + NUMBER_WIDTH * PATH_DEPTH + REST_WIDTH

_NUMBER = r"\d+[a-z]?(?:/\d+[a-z]?)*"
# Outer alleys before inner ones: a ngõ opens on the street, a ngách on a ngõ, a hẻm on either.
_ALLEY_RANK = {"ngo": 0, "kiet": 0, "hem": 1, "ngach": 2}
_ALLEY = re.compile(rf"\b(ngo|ngach|hem|kiet)\.?\s*({_NUMBER})")
_HOUSE = re.compile(rf"\b(?:so nha|so|nha|sn)\.?\s*({_NUMBER})")
_BARE_NUMBER = re.compile(rf"(?<![\w/])({_NUMBER})(?![\w/])")
_STREET_WORD = re.compile(r"\b(?:pho|duong|d)\.?\s+")
_NOISE = re.compile(r"[^a-z0-9 ]+")


def _number_part(text: str) -> str:
    """ "12a" -> "00012a", "12" -> "000120": fixed width, digits first, the letter after."""
    match = re.fullmatch(r"(\d+)([a-z]?)", text)
    if match is None:
        return "0" * NUMBER_WIDTH
    digits = match.group(1)[-(NUMBER_WIDTH - 1) :]
    return digits.rjust(NUMBER_WIDTH - 1, "0") + (match.group(2) or "0")


def _slash(numbers: str) -> list[str]:
    """A slash number, innermost first, as a path outermost first."""
    return list(reversed(numbers.split("/")))


def walk_path(*, house_number: str, alley: str, street: str) -> tuple[str, list[str]]:
    """(street, numbers from the street inward) read from the address's fields."""
    text = search_key(", ".join(part for part in (house_number, alley, street) if part))
    alleys = sorted(
        (
            (_ALLEY_RANK[kind], position, numbers)
            for position, (kind, numbers) in enumerate(_ALLEY.findall(text))
        ),
    )
    path = [number for _rank, _position, numbers in alleys for number in _slash(numbers)]
    text = _ALLEY.sub(" ", text)
    house = _HOUSE.search(text) or _BARE_NUMBER.search(text)
    if house is not None:
        path += _slash(house.group(1))
        text = text[: house.start()] + " " + text[house.end() :]
    street_name = search_key(street) if street and not path_in(street) else ""
    if not street_name:
        street_name = text
    street_name = _STREET_WORD.sub(" ", f" {street_name} ")
    return _NOISE.sub(" ", street_name).strip(), path


def path_in(text: str) -> bool:
    """Whether a street field also carries numbers (a whole address typed in one box)."""
    folded = search_key(text)
    return bool(_ALLEY.search(folded) or _HOUSE.search(folded) or _BARE_NUMBER.search(folded))


def walk_key(*, house_number: str, alley: str, street: str, apartment: str = "") -> str:
    """The sortable key of an address in walk order (see the module's docstring)."""
    street_name, path = walk_path(house_number=house_number, alley=alley, street=street)
    street_part = street_name.replace(" ", "")[:STREET_WIDTH].ljust(STREET_WIDTH, "0")
    numbers = [_number_part(number) for number in path[:PATH_DEPTH]]
    numbers += ["0" * NUMBER_WIDTH] * (PATH_DEPTH - len(numbers))
    rest = search_key(apartment).replace(" ", "")
    if not path:
        # Nothing to walk by: the address's own words keep it in a stable place.
        rest = search_key(" ".join([house_number, alley])).replace(" ", "") + rest
    rest = _NOISE.sub("", rest)[:REST_WIDTH].ljust(REST_WIDTH, "0")
    return street_part + "".join(numbers) + rest
