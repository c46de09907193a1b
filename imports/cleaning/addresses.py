"""A whole US address in one cell, as QuickBooks Online and many spreadsheets export it.

"123 Main St, Boston, MA 02118", "12 Elm St Boston, MA 02118" or "123 Main St\\nSuite 4\\nBoston,
MA 02118-1234, USA" is split into street, city, state and ZIP. Only an ending that is clearly a
US city (at most three words, no digits), state code and ZIP is taken apart; anything else (a
street alone, a foreign address, a city that cannot be told from the street) is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP".split()
)
# [street lines ,] city [,] ST 12345[-6789] [, USA]
_ADDRESS = re.compile(
    r"(?:(?P<street>.*\S)\s*,\s*)?(?P<city>[^,]+?)\s*,?\s+(?P<state>[A-Za-z]{2})\.?\s+"
    r"(?P<zip>\d{5}(?:-\d{4})?)(?:\s*,?\s*(?P<country>USA|U\.S\.A\.|US|United States(?: of America)?))?",
    re.IGNORECASE,
)
# Without a comma between street and city ("12 Elm St Boston", as QuickBooks Online writes
# it), the street ends at its last street word (and unit), or at a box number.
_STREET_WORDS = (
    "st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|pkwy|parkway|hwy|"
    "highway|cir|circle|ter|terrace|trl|trail|sq|square|loop|pike|plz|plaza|center|centre|ctr"
)
_UNIT = r"(?:\s+(?:apt|apartment|suite|ste|unit|fl|floor|bldg|rm|room|#)\.?\s*#?\s*[\w-]+)?"
_STREET_THEN_CITY = re.compile(
    rf"(?P<street>.*\b(?:(?:{_STREET_WORDS})\.?{_UNIT}|box\s+[\w-]+))\s+(?P<city>[^\d,]+)", re.IGNORECASE
)
_MAX_CITY_WORDS = 3  # "Salt Lake City"; more words without a comma are part of a street
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n)\s*")
_MAX_LENGTH = 300  # longer cells are not one address (and the pattern backtracks on them)


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    state: str
    postal_code: str
    country: str = ""


def split_us_address(value: str) -> Address | None:
    """The parts of a one-cell US address, or None when the cell is not one."""
    if len(value) > _MAX_LENGTH:
        return None
    match = _ADDRESS.fullmatch(_LINE_BREAKS.sub(", ", value.strip()))
    if match is None or match["state"].upper() not in US_STATES:
        return None
    street, city = (match["street"] or "").strip(" ,"), match["city"].strip()
    if not street:
        street, city = _street_and_city(city)
    if not city or any(char.isdigit() for char in city) or len(city.split()) > _MAX_CITY_WORDS:
        return None
    return Address(street=street, city=city, state=match["state"].upper(), postal_code=match["zip"],
                   country=match["country"] or "")


def _street_and_city(text: str) -> tuple[str, str]:
    """ "12 Elm St Boston" -> ("12 Elm St", "Boston"); "Salt Lake City" -> ("", "Salt Lake City")."""
    match = _STREET_THEN_CITY.fullmatch(text)
    if match is not None:
        return match["street"].strip(), match["city"].strip()
    return "", text
