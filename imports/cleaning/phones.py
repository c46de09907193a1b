"""Phone cells: E.164 with the firm's default country, several numbers in one cell."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from imports.problems import Problem

from .text import scrub

_E164 = PhoneNumberFormat.E164
# "Mobile: 312 555 0100 (cell)": phonenumbers reads letters as a vanity number ("cell" ->
# 2355), so a word label in brackets, or before a colon, goes before parsing.
_LABEL_BEFORE = re.compile(r"^[^\W\d_][^\d:+(]{0,30}:\s*")
_LABEL_AFTER = re.compile(r"[(\[][^\W\d_][^\d)\]]*[)\]]\s*$")
# A spreadsheet that stored the number as a float: "3125550100.0".
_FLOAT_TAIL = re.compile(r"(?<=\d)\.0+$")
# Separators that always divide numbers. "/" and spaces divide only when the whole piece is
# not one number and each side is one: "312/555-0100" and "030 / 1234567" are one number,
# "312-555-0100 / 312-555-0199" and "312 555 0100  312 555 0199" are two.
# The ";" of E.164's ";ext=12", which this cleaner writes, is not one: a stored number
# (a CRM form, an export) reads back as itself.
_STRONG_SEPARATORS = re.compile(r"[,|\n]|;(?!ext=)|\sor\s", re.IGNORECASE)
_WEAK_SEPARATORS = re.compile(r"\s*/\s*|\s+")
_DIGITS = re.compile(r"\d")
_MIN_DIGITS_EACH = 7
_MAX_SEVERAL_LENGTH = 120  # longer pieces are not searched for several numbers (cost grows fast)
_MAX_NUMBER_LENGTH = 250  # phonenumbers' own limit; also keeps the label patterns linear


def clean_phone(value: str, *, default_country: str = "US") -> tuple[str, list[Problem]]:
    """One number in E.164 ("+13125550100", "+13125550100;ext=12").

    A number that cannot be understood, or that does not exist in its country's numbering
    plan, is kept exactly as typed (cleaned of control characters) with a warning.
    """
    if not value:
        return "", []
    text = _strip_apostrophe(scrub(value))
    if not text:
        return "", []
    region = default_country.upper()
    number = _parse(text, region)
    if number is not None:
        return number, []
    return text, [_invalid(text, region)]


def clean_phones(value: str, *, default_country: str = "US") -> tuple[list[str], list[Problem]]:
    """Every number of a cell ("312-555-0100 / 312-555-0199", one per line, ";"-separated).

    Repeats are dropped. A piece that is not a number is kept as typed with a warning, as in
    `clean_phone`.
    """
    if not value:
        return [], []
    text = _strip_apostrophe(scrub(value, allow_newlines=True))
    if not text:
        return [], []
    phones: list[str] = []
    problems: list[Problem] = []
    region = default_country.upper()
    for piece in _STRONG_SEPARATORS.split(text):
        piece = _strip_apostrophe(piece.strip())
        if not piece:
            continue
        for phone, ok in _split_piece(piece, region):
            if not ok:
                problems.append(_invalid(phone, region))
            if phone not in phones:
                phones.append(phone)
    return phones, problems


def _split_piece(piece: str, region: str) -> list[tuple[str, bool]]:
    """A piece between strong separators: one number, or several divided by "/" or spaces.

    Several are found by taking, left to right, the shortest run of words that is a valid
    number of at least seven digits; the piece is one bad number unless the whole of it
    divides that way.
    """
    number = _parse(piece, region)
    if number is not None:
        return [(number, True)]
    if len(piece) > _MAX_SEVERAL_LENGTH:
        return [(piece, False)]
    numbers, start = [], 0
    for separator in _WEAK_SEPARATORS.finditer(piece):
        head = piece[start:separator.start()]
        if len(_DIGITS.findall(head)) >= _MIN_DIGITS_EACH and (number := _parse(head, region)):
            numbers.append((number, True))
            start = separator.end()
    if numbers and (number := _parse(piece[start:], region)):
        return [*numbers, (number, True)]
    return [(piece, False)]


def _parse(text: str, region: str) -> str | None:
    """E.164 (with ";ext=") of a valid number, or None."""
    if len(text) > _MAX_NUMBER_LENGTH:
        return None
    text = _LABEL_AFTER.sub("", _LABEL_BEFORE.sub("", _FLOAT_TAIL.sub("", text))).rstrip()
    number = _valid_number(text, region)
    if number is None and text.startswith("00") and not text.startswith("000"):
        # "0044 20 7946 0958" typed for a US firm: 00 is Europe's international prefix.
        number = _valid_number("+" + text[2:], region)
    if number is None:
        return None
    formatted = phonenumbers.format_number(number, _E164)
    return f"{formatted};ext={number.extension}" if number.extension else formatted


def _valid_number(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    # The firm's own country first: it skips the region lookup of is_valid_number (~4 µs).
    if phonenumbers.is_valid_number_for_region(number, region) or phonenumbers.is_valid_number(number):
        return number
    return None


def _strip_apostrophe(text: str) -> str:
    # An apostrophe that made a spreadsheet keep "'0207 946 0958" as text.
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1].isdigit() else text


def _invalid(text: str, region: str) -> Problem:
    shown = text if len(text) <= 60 else text[:60] + "…"
    if text.startswith("+") or not region:
        return Problem("invalid_phone", f'"{shown}" is not a valid phone number; it was kept as typed.')
    return Problem(
        "invalid_phone",
        f'"{shown}" is not a valid {region} phone number; it was kept as typed. '
        "A number from another country needs its + country code.",
    )


# Country cells as people type them, for the numbers of the same row ("New Zealand" -> NZ).
# Two-letter codes phonenumbers knows are taken as they are.
_COUNTRY_NAMES = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.a.": "US", "u.s.": "US",
    "america": "US", "canada": "CA", "united kingdom": "GB", "uk": "GB", "u.k.": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "ireland": "IE", "australia": "AU",
    "new zealand": "NZ", "germany": "DE", "deutschland": "DE", "france": "FR", "spain": "ES", "españa": "ES",
    "italy": "IT", "italia": "IT", "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "belgium": "BE",
    "switzerland": "CH", "austria": "AT", "portugal": "PT", "mexico": "MX", "méxico": "MX", "brazil": "BR",
    "brasil": "BR", "india": "IN", "china": "CN", "japan": "JP", "south korea": "KR", "korea": "KR",
    "philippines": "PH", "singapore": "SG", "hong kong": "HK", "israel": "IL", "south africa": "ZA",
    "puerto rico": "PR", "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "poland": "PL",
}


def region_for_country(country: str) -> str | None:
    """The phone region of a country cell ("New Zealand", "NZ", "U.S.A."), or None."""
    key = " ".join(country.split()).casefold()
    if not key:
        return None
    if len(key) == 2 and key.upper() in phonenumbers.SUPPORTED_REGIONS:
        return key.upper()
    return _COUNTRY_NAMES.get(key)
