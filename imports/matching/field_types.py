"""Value-type guessing: the custom-field type a column's sample values fit (`guess_field_type`),
and the placeholders that count as no value."""

from __future__ import annotations

import re
from collections.abc import Sequence

from imports.cleaning import clean_date, clean_emails, clean_url


_PLACEHOLDERS = {"n/a", "na", "-", "--", "none", "null", "nil"}
# Values an export writes where nothing was entered (Outlook's Gender "Unspecified" on every row):
# a column of only these (and placeholders) has no data to keep.
_NOTHING_ENTERED = _PLACEHOLDERS | {"unspecified", "not specified", "unknown", "not set"}
_YES_NO = {"yes", "no", "y", "n", "true", "false", "t", "f", "on", "off", "checked", "unchecked", "0", "1"}
_NUMBER = re.compile(
    r"^[+-]?\(?[$€£]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?%?$"  # 1,234.56  ($12)  7%
    r"|^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$"  # 1.234,56  12,5
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_NUMERIC = re.compile(
    r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]m|z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    rf"^(?:\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})$", re.IGNORECASE
)
_DATE_NO_YEAR = re.compile(r"^--\d{2}-\d{2}$")  # Google Contacts birthday without a year
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_URL = re.compile(
    r"^(?:https?://|www\.)\S+$"
    r"|^[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|org|net|edu|gov|io|co|us|uk|ca|de|fr|info|biz|me|app)(?:/\S*)?$",
    re.IGNORECASE,
)
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-]+(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)


def guess_field_type(values: Sequence[str]) -> str:
    """The custom-field type these sample values fit; "text" unless every value agrees.

    Empty cells and placeholders ("N/A", "-") are ignored. Codes with leading zeros (ZIP codes,
    IDs) stay text, phone numbers need their formatting (a bare 10-digit run is a number), and
    "dropdown" needs many values drawn from a handful of short choices.
    """
    cleaned = [str(v).strip() for v in values if v is not None]
    cleaned = [v for v in cleaned if v and v.casefold() not in _PLACEHOLDERS]
    if not cleaned:
        return "text"
    lowered = [v.casefold() for v in cleaned]
    if all(v in _YES_NO for v in lowered) and any(v.isalpha() for v in lowered):
        return "yes_no"
    if all(_is_date(v) for v in cleaned):
        return "date"
    if all(_is_number(v) for v in cleaned):
        return "number"
    if all(_EMAIL.match(v) and _is_email(v) for v in cleaned):
        return "email"
    if all(_URL.match(v) and clean_url(v)[0] for v in cleaned):
        return "url"
    if all(_is_phone(v) for v in cleaned):
        return "phone"
    if _is_dropdown(cleaned):
        return "dropdown"
    return "text"


def _is_number(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if len(digits) > 15:  # card and account numbers: identifiers, not quantities
        return False
    if re.match(r"^[+-]?0\d", value) and not re.match(r"^[+-]?0[.,]", value):  # 02134: a code
        return False
    return bool(_NUMBER.match(value))


def _is_date(value: str) -> bool:
    """Written like a date, and a real one when the importer reads it in either firm order."""
    if _DATE_NO_YEAR.match(value):
        return True
    if not (_DATE_WORDS.match(value) or _DATE_NUMERIC.match(value)):
        return False
    return any(clean_date(value, date_order=order)[0] is not None for order in ("MDY", "DMY"))


def _is_email(value: str) -> bool:
    """One address the importer takes as it is."""
    emails, problems = clean_emails(value)
    return len(emails) == 1 and not problems


def _is_phone(value: str) -> bool:
    if not _PHONE_CHARS.match(value):
        return False
    number = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+$", value)[0]
    digits = re.sub(r"\D", "", number)
    formatted = number.strip().startswith("+") or bool(re.search(r"[\s().\-]", number.strip()))
    return formatted and (10 <= len(digits) <= 15 or (number.strip().startswith("+") and 7 <= len(digits) <= 15))


def _is_dropdown(values: list[str]) -> bool:
    distinct = {v.casefold() for v in values}
    return (
        len(values) >= 10
        and len(distinct) <= 5
        and len(distinct) * 3 <= len(values)
        and all(len(v) <= 25 for v in values)
    )
