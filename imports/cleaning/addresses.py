"""Addresses: the one place that knows how a US (or Canadian) address is written.

A whole address in one cell, as QuickBooks Online and many spreadsheets export it ("123 Main
St, Boston, MA 02118", "12 Elm St Boston, MA 02118", "500 Main St NW Washington DC 20001" or
"123 Main St\\nSuite 4\\nBoston, MA 02118-1234, USA"), is split into street, city, state and
ZIP; so is a "City, ST ZIP" line on its own, as QuickBooks Desktop puts it on one of its
"Bill to" lines. Only an ending that is clearly a city (at most three words, no digits), a
state code and a ZIP is taken apart; anything else (a street alone, a foreign address, a city
that cannot be told from the street) is left as it was.

The importer (`imports.extraction`), the column matcher (`imports.matching`, which tells a
street line from a city line among QuickBooks' free-form lines), the IIF reader
(`imports.reading.iif`) and the CRM contact form all use these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP".split()
)
CANADIAN_PROVINCES = frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())
_US_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_POSTAL = r"\d{5}(?:-\d{4})?|[A-Za-z]\d[A-Za-z]\s?\d[A-Za-z]\d"  # ZIP (+4), Canadian "M5V 2T6"
# [street lines ,] city [,] ST 12345[-6789] [, USA]
_ADDRESS = re.compile(
    r"(?:(?P<street>.*\S)\s*,\s*)?(?P<city>[^,]+?)\s*,?\s+(?P<state>[A-Za-z]{2})\.?\s+"
    r"(?P<zip>\d{5}(?:-\d{4})?)(?:\s*,?\s*(?P<country>USA|U\.S\.A\.|US|United States(?: of America)?))?",
    re.IGNORECASE,
)
# "Boston, MA 02118", "Boston MA 02118-1234", "Toronto, ON M5V 2T6": a printed address's last
# line. The postal code is required: "Maria Garcia, MD" is a name, not a city in Maryland.
_CITY_LINE = re.compile(rf"(?P<city>[^\d,]+?)(?:\s*,\s*|\s+)(?P<state>[A-Za-z]{{2}})\.?,?\s+(?P<postal>{_POSTAL})")
# A line that starts like a street: a house number, a PO box, a rural route.
_STREET_LINE = re.compile(r"^\s*(?:\d+[a-z]?\b|p\.?\s*o\.?\s*box\b|one\b|two\b|rr\b|rural route\b)", re.IGNORECASE)
# Without a comma between street and city ("12 Elm St Boston", as QuickBooks Online writes
# it), the street ends at its last street word, then a direction ("NW": USPS writes a city's
# own direction out, "North Andover") and a unit, or at a box number.
_STREET_WORDS = (
    "st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|pkwy|parkway|hwy|"
    "highway|cir|circle|ter|terrace|trl|trail|sq|square|loop|pike|plz|plaza|center|centre|ctr"
)
_DIRECTION = r"(?:\s+(?:[NS]\.?\s?[EW]|[NSEW])\.?(?![\w']))?"
_UNIT = r"(?:\s+(?:apt|apartment|suite|ste|unit|fl|floor|bldg|rm|room|#)\.?\s*#?\s*[\w-]+)?"
_STREET_THEN_CITY = re.compile(
    rf"(?P<street>.*\b(?:(?:{_STREET_WORDS})\.?{_DIRECTION}{_UNIT}|box\s+[\w-]+))\s+(?P<city>[^\d,]+)",
    re.IGNORECASE,
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
    """The parts of a one-cell US address, or None when the cell is not one.

    A "City, ST ZIP" cell alone gives an address with an empty street.
    """
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


def split_address(value: str) -> Address | None:
    """A one-cell US address (`split_us_address`), or a "City, ST ZIP" line of the US or
    Canada alone (street empty); None for anything else."""
    if not value or len(value) > _MAX_LENGTH:
        return None
    address = split_us_address(value)
    if address is not None:
        return address
    line = split_city_line(value)
    return Address("", *line) if line is not None else None


def clean_address_fields(street: str, city: str, state: str, postal_code: str, country: str = "") -> Address:
    """An address typed in separate fields, as the import reads the same columns: a whole
    address in the street field, or a "City, ST ZIP" line in the city field, fills the fields
    left empty (a field of its own wins). The CRM contact form uses it."""
    parts = {"street": street, "city": city, "state": state, "postal_code": postal_code, "country": country}
    whole = split_address(street)
    if whole is not None:
        parts["street"] = whole.street
        for name in ("city", "state", "postal_code", "country"):
            parts[name] = parts[name] or getattr(whole, name)
    line = split_address(city) if city else None
    if line is not None and not line.street:
        parts["city"] = line.city
        for name in ("state", "postal_code", "country"):
            parts[name] = parts[name] or getattr(line, name)
    return Address(**parts)


def split_city_line(line: str) -> tuple[str, str, str] | None:
    """(city, state, postal code) of a "Boston, MA 02118" or "Toronto, ON M5V 2T6" line, or None.

    The state must be a US state (with a ZIP) or a Canadian province (with its postal code).
    """
    if len(line) > _MAX_LENGTH:
        return None
    found = _CITY_LINE.fullmatch(line.strip())
    if found is None:
        return None
    state, postal = found["state"].upper(), found["postal"]
    if _US_ZIP.fullmatch(postal):
        if state not in US_STATES:
            return None
    elif state not in CANADIAN_PROVINCES:
        return None
    return found["city"].strip(), state, postal


def looks_like_street_line(line: str) -> bool:
    """Does this printed-address line start like a street ("12 Elm St", "PO Box 4", "RR 2")?"""
    return bool(_STREET_LINE.match(line))


def _street_and_city(text: str) -> tuple[str, str]:
    """ "12 Elm St Boston" -> ("12 Elm St", "Boston"); "Salt Lake City" -> ("", "Salt Lake City")."""
    match = _STREET_THEN_CITY.fullmatch(text)
    if match is not None:
        return match["street"].strip(), match["city"].strip()
    return "", text
