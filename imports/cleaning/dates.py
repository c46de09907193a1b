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
# How a date was read, for the message when it does not exist: an ISO date is never read in
# the firm's order, so its message must not name that order.
_ISO_READING = "year-month-day (ISO)"
_NAMED_READING = "day, month name and year"
_MONTH_NAMES = (
    "January February March April May June July August September October November December".split()
)


def clean_date(value: str, *, date_order: str = "MDY") -> tuple[datetime.date | None, list[Problem]]:
    """A date from "1980-03-04", "03/04/1980", "March 4, 1980", "4 Mar 1980", "03-04-80"...

    Numbers are read in `date_order` ("MDY": 03/04/1980 is March 4; "DMY": April 3); a
    leading four-digit year is always year/month/day. A two-digit year is put in the most
    recent century that does not make the date a future one ("80" is 1980, "05" is 2005).
    Anything else, and impossible dates (02/30/2020), give a warning and no date. How
    programs write "no date" (Outlook's "0/0/00", "0000-00-00") is blank: no warning.
    A time after the date is read past (`clean_date_time` keeps it).
    """
    date, _time, problems = clean_date_time(value, date_order=date_order)
    return date, problems


def clean_date_time(
    value: str, *, date_order: str = "MDY"
) -> tuple[datetime.date | None, str, list[Problem]]:
    """`clean_date`, and the time written after the date as ISO text ("14:30", "14:30:05",
    "09:00+02:00"; "" for none). Midnight ("00:00:00", "12:00 AM") is what spreadsheets write
    for a plain date, so it is no time: ""."""
    if not value:
        return None, "", []
    order = date_order.upper()
    if order not in _ORDERS:
        raise ValueError(f"unknown date order {date_order!r}")
    text = scrub(value)
    if not text:
        return None, "", []
    parts = None
    time_text = ""
    if len(text) <= _MAX_DATE_LENGTH:
        time_match = _TIME.search(text)
        if time_match:
            time_text = _iso_time(time_match.group(0))
            text = text[: time_match.start()]
        if _is_empty_date(text):
            return None, "", []
        parts = _numeric_parts(text, order) or _named_month_parts(text)
    if parts is None:
        return None, "", [
            Problem(
                "invalid_date",
                f'"{_shown(value)}" is not a date we can read (expected {_ORDERS[order]}, '
                f"for example {_EXAMPLES[order]}); it was left out.",
            )
        ]
    year, month, day, reading = parts
    if len(year) <= 2:
        year = _century(int(year), int(month), int(day))
    try:
        return datetime.date(int(year), int(month), int(day)), time_text, []
    except ValueError:
        return None, "", [
            Problem(
                "invalid_date",
                f'"{_shown(value)}" is not a real date when read as {reading} '
                f"({_why_not_real(int(year), int(month), int(day))}); it was left out.",
            )
        ]


_TIME_PARTS = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(?:([AaPp])\.?[Mm]\.?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?",
    re.ASCII,
)


def _iso_time(written: str) -> str:
    """ "2:30 PM" -> "14:30", "10:00:05+0200" -> "10:00:05+02:00"; midnight -> "" (a plain date).
    Fractions of a second are left out: no client record needs them."""
    match = _TIME_PARTS.search(written)
    if match is None:  # pragma: no cover - _TIME matched these very characters
        return ""
    hour, minute, second, half, zone = match.groups()
    hour, minute = int(hour), int(minute)
    if half:
        hour = hour % 12 + (12 if half in "Pp" else 0)
    if hour > 23 or minute > 59 or (second and int(second) > 59):
        return ""
    if (hour, minute, int(second or 0)) == (0, 0, 0):
        return ""
    text = f"{hour:02d}:{minute:02d}" + (f":{second}" if second and second != "00" else "")
    if zone in ("Z", "UTC", "GMT"):
        text += "Z"
    elif zone:
        text += f"{zone[:3]}:{zone[-2:]}"
    return text


_YEAR_ONLY = re.compile(r"(1[6-9]\d\d|2[01]\d\d)", re.ASCII)


def year_only(value: str) -> str:
    """ "1985" when the cell holds a year and nothing else (a year of birth, "client since
    2019"), else "". Read before a date, such a cell is not a mistake: it is a partial date."""
    text = scrub(value or "").rstrip(".")
    return text if _YEAR_ONLY.fullmatch(text) else ""


def has_time(value: str) -> bool:
    """Whether the cell is a date followed by a time other than midnight (cheap: a colon first)."""
    if ":" not in value or len(value) > _MAX_DATE_LENGTH:
        return False
    match = _TIME.search(value)
    return bool(match) and match.start() > 0 and bool(_iso_time(match.group(0)))


def _is_empty_date(text: str) -> bool:
    """Is this how a program writes "no date"? Zeros for day and month ("0/0/00",
    "00/00/0000", "0000-00-00", Outlook's "0/0/00") or Excel's day zero ("1/0/00",
    "1/0/1900", "1900-01-00"), in either order. "00/00/1980" is a real date gone wrong: no."""
    if _COMPACT.fullmatch(text):
        return text == "00000000"
    match = _ISO.fullmatch(text)
    if match:
        year, day_and_month = match.group(1), (match.group(2), match.group(3))
    else:
        match = _NUMERIC.fullmatch(text)
        if match is None:
            return False
        first, _, second, third = match.groups()
        year, day_and_month = (first, (second, third)) if len(first) == 4 else (third, (first, second))
    return int(year) in (0, 1900) and sorted(int(part) for part in day_and_month) in ([0, 0], [0, 1])


def _why_not_real(year: int, month: int, day: int) -> str:
    if year == 0:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day == 0:
        return "there is no day 0"
    if month == 2 and day == 29:
        return f"{year} is not a leap year"
    return f"{_MONTH_NAMES[month - 1]} has no day {day}"


def _numeric_parts(text: str, order: str) -> tuple[str, str, str, str] | None:
    """(year, month, day) as written and how they were read (for messages), or None."""
    match = _ISO.fullmatch(text)
    if match:
        return match.group(1), match.group(2), match.group(3), _ISO_READING
    match = _NUMERIC.fullmatch(text)
    if match:
        first, _, second, third = match.groups()
        if len(first) == 4:
            return first, second, third, _ORDERS["YMD"]
        if len(first) > 2 or len(third) not in (2, 4):
            return None
        if order == "DMY":
            return third, second, first, _ORDERS[order]
        if order == "MDY":
            return third, first, second, _ORDERS[order]
        return None  # a year-first firm writes the year first
    if _COMPACT.fullmatch(text):
        if text[:2] in ("19", "20") and 1 <= int(text[4:6]) <= 12:
            return text[:4], text[4:6], text[6:], "YYYYMMDD"
        if order == "DMY":
            return text[4:], text[2:4], text[:2], "DDMMYYYY"
        if order == "MDY":
            return text[4:], text[:2], text[2:4], "MMDDYYYY"
    return None


def _named_month_parts(text: str) -> tuple[str, str, str, str] | None:
    """(year, month, day, how) of "March 4, 1980", "4 Mar 1980", "4-Mar-80", "1980 Mar 04"."""
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
        return first, str(month), second, _NAMED_READING
    if len(first) <= 2 and len(second) in (2, 4):
        return second, str(month), first, _NAMED_READING
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
