"""A whole US address in one cell, as QuickBooks Online and many spreadsheets export it.

"123 Main St, Boston, MA 02118" or "123 Main St\\nSuite 4\\nBoston, MA 02118-1234, USA" is split
into street, city, state and ZIP. Only an ending that is clearly a US city, state code and
ZIP is taken apart; anything else (a street alone, a foreign address) is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP".split()
)
# [street lines ,] city [,] ST 12345[-6789] [, USA]: the city does not start with a digit, so
# "123 Main St Boston MA 02118" (no comma at all) is not guessed at.
_ADDRESS = re.compile(
    r"(?:(?P<street>.*\S)\s*,\s*)?(?P<city>[^,\d\s][^,]*?)\s*,?\s+(?P<state>[A-Za-z]{2})\.?\s+"
    r"(?P<zip>\d{5}(?:-\d{4})?)(?:\s*,?\s*(?P<country>USA|U\.S\.A\.|US|United States(?: of America)?))?",
    re.IGNORECASE,
)
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
    return Address(street=(match["street"] or "").strip(" ,"), city=match["city"].strip(),
                   state=match["state"].upper(), postal_code=match["zip"], country=match["country"] or "")
