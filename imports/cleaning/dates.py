"""Date cells, read in the firm's date order; ISO always.

A strict reader of its own rather than dateutil: dateutil silently swaps day and month when
the day is over 12 ("13/04/1980" read as April 13 by a month-first firm), fills a missing
day or year from today, and guesses through stray words. A file in the wrong order must show
up as warnings, not as wrong birthdays.
"""

from __future__ import annotations

import datetime
import re

from imports.problems import Problem

from .text import scrub

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
# A time after the date ("1980-03-04 00:00:00", "3/4/1980 12:00 AM", "...T10:00:00+02:00").
_TIME = re.compile(
    r"(?:[T ]\s*|\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$",
    re.ASCII,
)
_NUMERIC = re.compile(r"(\d{1,4})([/.\-]|\s+)(\d{1,2})\2(\d{1,4})", re.ASCII)
_COMPACT = re.compile(r"\d{8}", re.ASCII)
_TOKENS = re.compile(r"[^\W\d_]+|\d+")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_FILLER = frozenset(
    "st nd rd th of the monday tuesday wednesday thursday friday saturday sunday "
    "mon tue tues wed thu thur thurs fri sat sun".split()
)
_MAX_DATE_LENGTH = 64  # "Wednesday, September 24th, 1980 12:00:00.000 AM +02:00" fits
_ORDERS = {"MDY": "month/day/year", "DMY": "day/month/year", "YMD": "year/month/day"}
_EXAMPLES = {"MDY": "03/31/1980", "DMY": "31/03/1980", "YMD": "1980/03/31"}


def clean_date(value: str, *, date_order: str = "MDY") -> tuple[datetime.date | None, list[Problem]]:
    """A date from "1980-03-04", "03/04/1980", "March 4, 1980", "4 Mar 1980", "03-04-80"...

    Numbers are read in `date_order` ("MDY": 03/04/1980 is March 4; "DMY": April 3); a
    leading four-digit year is always year/month/day. A two-digit year is put in the most
    recent century that does not make the date a future one ("80" is 1980, "05" is 2005).
    Anything else, and impossible dates (02/30/2020), give a warning and no date.
    """
    if not value:
        return None, []
    order = date_order.upper()
    if order not in _ORDERS:
        raise ValueError(f"unknown date order {date_order!r}")
    text = scrub(value)
    if not text:
        return None, []
    parts = None
    if len(text) <= _MAX_DATE_LENGTH:
        text = _TIME.sub("", text)
        parts = _numeric_parts(text, order) or _named_month_parts(text)
    if parts is None:
        return None, [
            Problem(
                "invalid_date",
                f'"{_shown(value)}" is not a date we can read (expected {_ORDERS[order]}, '
                f"for example {_EXAMPLES[order]}); it was left out.",
            )
        ]
    year, month, day = parts
    if len(year) <= 2:
        year = _century(int(year), int(month), int(day))
    try:
        return datetime.date(int(year), int(month), int(day)), []
    except ValueError:
        return None, [
            Problem(
                "invalid_date",
                f'"{_shown(value)}" is not a real date when read as {_ORDERS[order]}; it was left out.',
            )
        ]


def _numeric_parts(text: str, order: str) -> tuple[str, str, str] | None:
    """(year, month, day) as written, or None."""
    match = _ISO.fullmatch(text)
    if match:
        return match.group(1), match.group(2), match.group(3)
    match = _NUMERIC.fullmatch(text)
    if match:
        first, _, second, third = match.groups()
        if len(first) == 4:
            return first, second, third
        if len(first) > 2 or len(third) not in (2, 4):
            return None
        if order == "DMY":
            return third, second, first
        if order == "MDY":
            return third, first, second
        return None  # a year-first firm writes the year first
    if _COMPACT.fullmatch(text):
        if text[:2] in ("19", "20") and 1 <= int(text[4:6]) <= 12:
            return text[:4], text[4:6], text[6:]
        if order == "DMY":
            return text[4:], text[2:4], text[:2]
        if order == "MDY":
            return text[4:], text[:2], text[2:4]
    return None


def _named_month_parts(text: str) -> tuple[str, str, str] | None:
    """(year, month, day) of "March 4, 1980", "4 Mar 1980", "4-Mar-80", "1980 Mar 04"."""
    month = None
    numbers = []
    for token in _TOKENS.findall(text.lower()):
        if token.isdecimal():
            numbers.append(token)
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif token not in _FILLER:
            return None
    if month is None or len(numbers) != 2:
        return None
    first, second = numbers
    if len(first) == 4:
        return first, str(month), second
    if len(first) <= 2 and len(second) in (2, 4):
        return second, str(month), first
    return None


def _century(year: int, month: int, day: int) -> str:
    today = _today()
    if (2000 + year, month, day) <= (today.year, today.month, today.day):
        return str(2000 + year)
    return str(1900 + year)


def _today() -> datetime.date:
    return datetime.date.today()


def _shown(value: str) -> str:
    value = scrub(value)
    return value if len(value) <= 60 else value[:60] + "…"
