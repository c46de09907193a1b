"""Custom-field cells: the value checked against the field's type, as JSON-ready data."""

from __future__ import annotations

import re

from imports.problems import Problem

from .dates import clean_date_time, year_only
from .emails import clean_emails
from .phones import clean_phone
from .text import clean_text, scrub
from .values import clean_number, clean_url, clean_yes_no

FIELD_TYPES = ("text", "number", "date", "yes_no", "dropdown", "email", "phone", "url")
CUSTOM_TEXT_MAX_LENGTH = 1000
_OPTIONS_SHOWN = 8


def clean_custom_value(
    value: str,
    *,
    field_type: str,
    options: list[str] | tuple[str, ...] = (),
    date_order: str = "MDY",
    number_format: str | None = None,
    default_country: str = "US",
) -> tuple[object | None, list[Problem]]:
    """The value to store for a custom field of `field_type`, and what was wrong with it.

    text -> str; number -> int or float (read in the column's `number_format`); date ->
    "YYYY-MM-DD", with its time when it has one ("YYYY-MM-DDTHH:MM"), or the year alone
    ("1985") when that is all the cell holds; yes_no -> bool; dropdown -> the option's own
    spelling; email -> one normalised address; phone -> E.164 (or as typed, with a warning);
    url -> str. Blank, or a value that does not fit, gives None.
    """
    if field_type not in FIELD_TYPES:
        raise ValueError(f"unknown custom field type {field_type!r}")
    if not value or not value.strip():
        return None, []
    if field_type == "text":
        text, problems = clean_text(value, max_length=CUSTOM_TEXT_MAX_LENGTH, allow_newlines=True)
        return text or None, problems
    if field_type == "number":
        return clean_number(value, number_format=number_format)
    if field_type == "date":
        return _date(value, date_order)
    if field_type == "yes_no":
        return clean_yes_no(value)
    if field_type == "dropdown":
        return _dropdown(value, options)
    if field_type == "email":
        return _email(value)
    if field_type == "phone":
        phone, problems = clean_phone(value, default_country=default_country)
        return phone or None, problems
    url, problems = clean_url(value)
    return url or None, problems


def _date(value: str, date_order: str) -> tuple[str | None, list[Problem]]:
    """ISO text, kept whole: the date, its time if it has one, or a year on its own."""
    date, time, problems = clean_date_time(value, date_order=date_order)
    if date is not None:
        return (f"{date.isoformat()}T{time}" if time else date.isoformat()), problems
    year = year_only(value)
    if year:
        return year, []
    return None, problems


def _dropdown(value: str, options: list[str] | tuple[str, ...]) -> tuple[str | None, list[Problem]]:
    text = scrub(value)
    if not text:
        return None, []
    key = " ".join(text.split()).casefold()
    for option in options:
        if " ".join(option.split()).casefold() == key:
            return option, []
    synonym = _synonym_option(text, options)
    if synonym is not None:
        return synonym, []
    if not options:
        allowed = "the field has no options yet"
    elif len(options) <= _OPTIONS_SHOWN:
        allowed = "the options are " + ", ".join(options)
    else:
        shown = ", ".join(options[:_OPTIONS_SHOWN])
        allowed = f"the options are {shown} and {len(options) - _OPTIONS_SHOWN} more"
    message = f'"{_shown(text)}" is not one of the choices ({allowed}); it was left out.'
    return None, [Problem("invalid_option", message)]


# Filing statuses as tax software writes them (Drake, Lacerte, UltraTax, IRS forms). A value
# and an option that land in the same group are the same choice, so "MFJ" picks the field's
# "Married filing jointly" (or its "MFJ", or "Married Filing Joint") - only when the field
# has such an option. Spellings are compared lower-cased, with everything but letters and
# digits turned into single spaces ("Married-Joint" is "married joint", "Qualifying
# widow(er)" is "qualifying widow er"). A small explicit table, on purpose not fuzzy
# matching: "Married" alone could be either joint or separate and matches nothing.
_DROPDOWN_SYNONYMS = {
    "single": "single | s",
    "married filing jointly": """
        married filing jointly | married filing joint | married filing joint return | married joint |
        married jointly | mfj
    """,
    "married filing separately": """
        married filing separately | married filing separate | married filing separate return |
        married separate | married separately | mfs
    """,
    "head of household": "head of household | head of hh | hoh",
    "qualifying surviving spouse": """
        qualifying surviving spouse | qualifying widow er | qualifying widow | qualifying widower |
        qualifying widow er with dependent child | qss | qw | qwr
    """,
}
_SYNONYM_GROUPS = {
    spelling.strip(): group
    for group, spellings in _DROPDOWN_SYNONYMS.items()
    for spelling in spellings.split("|")
}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# "MFJ - Married filing jointly", "QSS/QW", "Married filing jointly (MFJ)": each piece must
# name the same group. One space each side is enough (the pieces are trimmed): `\s+` there
# made a search over a long run of spaces quadratic (25,000 spaces took 5 s).
_SYNONYM_PIECES = re.compile(r"\s[-–—]\s|[/()]")


def _synonym_group(text: str) -> str | None:
    key = _NOT_ALNUM.sub(" ", text.casefold()).strip()
    group = _SYNONYM_GROUPS.get(key)
    if group is not None or not _SYNONYM_PIECES.search(text):
        return group
    pieces = {_NOT_ALNUM.sub(" ", piece.casefold()).strip() for piece in _SYNONYM_PIECES.split(text)}
    groups = {_SYNONYM_GROUPS.get(piece) for piece in pieces if piece}
    return groups.pop() if len(groups) == 1 else None


def _synonym_option(text: str, options: list[str] | tuple[str, ...]) -> str | None:
    """The field's option that means the same as `text` by `_DROPDOWN_SYNONYMS`, if any."""
    group = _synonym_group(text)
    if group is None:
        return None
    return next((option for option in options if _synonym_group(option) == group), None)


def _email(value: str) -> tuple[str | None, list[Problem]]:
    emails, invalid = clean_emails(value)
    problems = [Problem("invalid_custom_value", problem.message) for problem in invalid]
    if len(emails) > 1:
        problems.append(
            Problem(
                "invalid_custom_value",
                f"This field holds one email address; {emails[0]} was kept and {', '.join(emails[1:])} left out.",
            )
        )
    return (emails[0] if emails else None), problems


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"
