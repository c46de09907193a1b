"""Small typed cells: account types, yes/no, numbers, web addresses, SSN/TIN."""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from imports.problems import Problem

from .text import scrub

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------------------------------
# Account types
#
# Keys are spellings with everything but letters and digits removed ("S-Corp" is "scorp",
# "1120-S" is "1120s"). Trusts, estates and non-profits are "other": they are neither a
# person nor an ordinary business, and firms file different returns for them (1041, 990).
# A sole proprietor is "individual": the owner is the client and files a 1040.
_ACCOUNT_TYPE_WORDS = {
    "individual": """
        individual individuals indiv ind person personal people family household human consumer
        private privateclient soleproprietor soleproprietorship soleprop selfemployed schedulec
        married mfj mfs single couple 1040 1040sr 1040nr
    """,
    "company": """
        company companies business businesses biz corporation corp corporate inc incorporated
        llc smllc mmllc singlememberllc multimemberllc llp lllp lp pllc pc pa plc ltd limited gmbh partnership partners
        scorp ccorp scorporation ccorporation 1120 1120s 1065 organisation organization org
        entity firm employer commercial enterprise cooperative coop
    """,
    "other": """
        other others misc miscellaneous trust trusts estate estates fiduciary 1041 706 709
        990 990ez 990pf 990n nonprofit notforprofit npo nfp charity charitable exempt taxexempt
        foundation church government gov govt 501c 501c3
    """,
}
_ACCOUNT_TYPES = {word: kind for kind, words in _ACCOUNT_TYPE_WORDS.items() for word in words.split()}
# Words that say nothing about the type: "Business client", "Form 1120-S", "Individual account".
_ACCOUNT_TYPE_NOISE = frozenset(
    "client clients account accounts acct type form return returns tax taxpayer filer customer the".split()
)
_MAX_TYPE_WORDS = 8


def clean_account_type(value: str) -> tuple[str | None, list[Problem]]:
    """"individual", "company" or "other" from the many ways files say it; None if blank.

    Case, spaces and punctuation do not matter. A value naming two kinds ("Individual or
    Business") or none we know becomes "other" with a warning.
    """
    if not value:
        return None, []
    text = scrub(value)
    if not text:
        return None, []
    words = [word for word in _NON_ALNUM.split(text.casefold()) if word and word not in _ACCOUNT_TYPE_NOISE]
    kind = _ACCOUNT_TYPES.get("".join(words))
    if kind is None and 1 < len(words) <= _MAX_TYPE_WORDS:
        # "Individual/Sole proprietor", "S Corp (1120S)": every run of up to three words.
        kinds = {
            _ACCOUNT_TYPES.get("".join(words[start:end]))
            for start in range(len(words))
            for end in range(start + 1, min(start + 3, len(words)) + 1)
        }
        kinds.discard(None)
        if len(kinds) == 1:
            kind = kinds.pop()
    if kind is not None:
        return kind, []
    return "other", [
        Problem(
            "unknown_account_type",
            f'"{_shown(text)}" is not an account type we know (Individual, Company or Other); '
            "the account was imported as Other.",
        )
    ]


# ---------------------------------------------------------------------------------------
# Yes / no
_YES = frozenset("yes y true t 1 1.0 x on checked check enabled active ok si sí oui ja ✓ ✔ ☑ ✅".split())
_NO = frozenset("no n false f 0 0.0 off unchecked disabled inactive non nein ✗ ✘ ☐ ❌".split())
# An explicit "not applicable" is an empty answer, not a mistake.
_NOT_APPLICABLE = frozenset("n/a na - -- —".split())


def clean_yes_no(value: str) -> tuple[bool | None, list[Problem]]:
    """True / False from yes, no, y, n, true, false, 1, 0, x, on, off, checked...; None if blank."""
    if not value:
        return None, []
    text = scrub(value)
    key = text.casefold().rstrip(".!")
    if key in _YES:
        return True, []
    if key in _NO:
        return False, []
    if not key or key in _NOT_APPLICABLE:
        return None, []
    return None, [
        Problem("invalid_yes_no", f'"{_shown(text)}" is neither yes nor no; the value was left empty.')
    ]


# ---------------------------------------------------------------------------------------
# Numbers
#
# "1,234.50", "1.234,50", "1 234,5", "$1,234", "(12.5)" (accounting negative), "12-", "12%".
# The separator that comes last is the decimal one when both appear. With only commas, one
# comma followed by exactly three digits groups thousands ("1,234" is 1234: a US firm's
# reading), any other single comma is a decimal comma ("12,5"). A percentage keeps the number
# as written ("12%" is 12, not 0.12). Whole numbers come back as int, others as float.
_CURRENCY = re.compile(r"[$€£¥₹¢]|\b(?:USD|EUR|GBP|CAD|AUD)\b", re.IGNORECASE)
_GROUPING_SPACES = re.compile("[\\s\u00a0\u202f\u2009'’]")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+", re.ASCII)
_DIGITS_AND_SEPARATORS = re.compile(r"[0-9.,]*[0-9][0-9.,]*", re.ASCII)
_MINUS = ("-", "−", "–")
_MAX_NUMBER_LENGTH = 60  # longer is not an amount (and int() refuses over 4,300 digits)


NUMBER_FORMATS = {"point": "a decimal point (1,234.50)", "comma": "a decimal comma (1.234,50)"}


def clean_number(value: str, *, number_format: str | None = None) -> tuple[int | float | None, list[Problem]]:
    """An int or float from a number as people and spreadsheets write it; None if blank.

    `number_format` is the column's: "point" (1,234.50: "1.234" is one point two three four),
    "comma" (1.234,50: "1.234" is one thousand two hundred thirty-four, "1.000,00" one
    thousand); None reads each value on its own, as the comment above says. A value that
    cannot be written in the column's format ("12,5" in a decimal-point column) is a warning.
    """
    if number_format not in (None, *NUMBER_FORMATS):
        raise ValueError(f"unknown number format {number_format!r}")
    if not value:
        return None, []
    text = scrub(value)
    if not text:
        return None, []
    number = _parse_number(text, number_format)
    if number is None:
        if number_format and _parse_number(text, None) is not None:
            return None, [Problem(
                "invalid_number",
                f'"{_shown(text)}" is not a number written with {NUMBER_FORMATS[number_format]}, as this '
                f"column's numbers are; it was left out.",
            )]
        return None, [Problem("invalid_number", f'"{_shown(text)}" is not a number we can read; it was left out.')]
    return number, []


def number_format_evidence(value: str) -> str | None:
    """ "comma" or "point" when the written number can be read only one way ("1.000,00",
    "12,5", "1.234.567" are decimal comma; "1,000.00", "12.5" decimal point); None for
    "1,234" or "1.234" (either), for whole numbers and for what is no number."""
    if len(value) > _MAX_NUMBER_LENGTH or not any(separator in value for separator in ",."):
        return None
    body = _number_body(scrub(value))
    if body is None or not _DIGITS_AND_SEPARATORS.fullmatch(body):
        return None
    readings = [name for name in NUMBER_FORMATS if _separated_number(body, name) is not None]
    return readings[0] if len(readings) == 1 else None


def _number_body(text: str) -> str | None:
    """The digits and separators of a written number, without currency, sign or grouping
    spaces; None when the sign is written twice."""
    body = _GROUPING_SPACES.sub("", _CURRENCY.sub("", text))
    if len(body) > 2 and body[0] == "(" and body[-1] == ")":
        body = body[1:-1]
    body = body.removesuffix("%")
    if body.startswith(_MINUS) or body.endswith(_MINUS):
        body = body[1:] if body.startswith(_MINUS) else body[:-1]
    elif body.startswith("+"):
        body = body[1:]
    return body


def _parse_number(text: str, number_format: str | None = None) -> int | float | None:
    if len(text) > _MAX_NUMBER_LENGTH:
        return None
    body = _GROUPING_SPACES.sub("", _CURRENCY.sub("", text))
    negative = len(body) > 2 and body[0] == "(" and body[-1] == ")"
    if negative:
        body = body[1:-1]
    body = body.removesuffix("%")
    if body.startswith(_MINUS) or body.endswith(_MINUS):
        if negative:
            return None
        negative, body = True, body[1:] if body.startswith(_MINUS) else body[:-1]
    elif body.startswith("+"):
        body = body[1:]
    if _SCIENTIFIC.fullmatch(body):
        number = float(body)
        if not math.isfinite(number):
            return None
    elif _DIGITS_AND_SEPARATORS.fullmatch(body):
        number = _separated_number(body, number_format)
        if number is None:
            return None
    else:
        return None
    return -number if negative else number


def _separated_number(body: str, number_format: str | None = None) -> int | float | None:
    if number_format is not None:
        return _number_in_format(body, "," if number_format == "comma" else ".")
    commas, dots = body.count(","), body.count(".")
    if not commas and not dots:
        return int(body)
    if commas + dots == 1:
        separator = "," if commas else "."
        whole, fraction = body.split(separator)
        if separator == "," and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0":
            return int(whole + fraction)  # "1,234": thousands
        return float(f"{whole or 0}.{fraction or 0}")
    if commas and dots:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        if body.count(decimal) > 1:
            return None
        whole, fraction = body.split(decimal)
        grouping = "." if decimal == "," else ","
    else:
        whole, fraction, grouping = body, None, "," if commas else "."
    groups = whole.split(grouping)
    if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        return None
    whole = "".join(groups)
    return int(whole) if fraction is None else float(f"{whole}.{fraction or 0}")


def _number_in_format(body: str, decimal: str) -> int | float | None:
    """The number when `decimal` is the decimal separator and the other one groups thousands."""
    grouping = "." if decimal == "," else ","
    whole, has_fraction, fraction = body.partition(decimal)
    if decimal in fraction or grouping in fraction or (has_fraction and not (whole or fraction)):
        return None
    groups = whole.split(grouping)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])):
        return None
    whole = "".join(groups)
    if not has_fraction:
        return int(whole)
    return float(f"{whole or 0}.{fraction or 0}")


# ---------------------------------------------------------------------------------------
# Web addresses
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*)://")
_HOST_LABEL = re.compile(r"(?!-)[^\W_](?:[\w\-]{0,61}[^\W_])?")
_TOP_LEVEL = re.compile(r"[^\W\d_]{2,63}|xn--[a-z0-9\-]{1,59}", re.IGNORECASE)
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)", re.ASCII)
_WHITESPACE = re.compile(r"\s")


def clean_url(value: str) -> tuple[str, list[Problem]]:
    """A web address; "https://" is added to "www.example.com" or "example.com/about".

    Only http and https are kept; anything else (an email address, "javascript:", a word) is
    reported and dropped.
    """
    if not value:
        return "", []
    text = scrub(value)
    if not text:
        return "", []
    url = _as_url(text)
    if url is None:
        return "", [Problem("invalid_url", f'"{_shown(text)}" is not a web address; it was left out.')]
    return url, []


def _as_url(text: str) -> str | None:
    if _WHITESPACE.search(text):
        return None
    match = _SCHEME.match(text)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ("http", "https"):
            return None
        url = scheme + text[len(match.group(1)) :]
    else:
        url = "https://" + text.removeprefix("//")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None:
        return None  # "jane@example.com" is an email address, not a site
    if _IPV4.fullmatch(host):
        return url
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not _TOP_LEVEL.fullmatch(labels[-1]):
        return None
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return None
    return url


# ---------------------------------------------------------------------------------------
# SSN / ITIN / EIN
TAX_ID_MAX_LENGTH = 20  # the longest value the contact record stores
_TAX_ID_FORMAT = re.compile(r"[0-9][0-9\- .]*", re.ASCII)
_MASKED = re.compile(r"[xX*•#]")
_MASK = re.compile(r"•••-••-\w{4}")


# The written shapes of an SSN/ITIN (123-45-6789, 123 45 6789) and an EIN (12-3456789). A bare run
# of nine digits is left out: ZIP+4 codes and account numbers look the same.
_TAX_ID_SHAPE = re.compile(r"\d{3}([- ])\d{2}\1\d{4}|\d{2}-\d{7}", re.ASCII)


_EIN_SHAPE = re.compile(r"\d{2}-\d{7}", re.ASCII)


def looks_like_ein(value: str) -> bool:
    """Whether a cell is written the way an EIN is (12-3456789), never an SSN's 123-45-6789."""
    return bool(_EIN_SHAPE.fullmatch(value.strip().lstrip("'")))


def looks_like_tax_id(value: str) -> bool:
    """Whether a cell is written the way SSNs, ITINs and EINs are (whatever its column is called)."""
    return bool(_TAX_ID_SHAPE.fullmatch(value.strip().lstrip("'")))


def mask_tax_id(value: str) -> str:
    """Only the last four characters of an SSN/TIN ever leave the record: "•••-••-6789".

    A mask masked again stays as it is: the skipped-rows file masks the cells the import stored
    masked already, and must still show which number it was."""
    if _MASK.fullmatch(value or ""):
        return value
    characters = [ch for ch in value or "" if ch.isalnum()]
    if not characters:
        return ""
    return "•••-••-" + "".join(characters[-4:]) if len(characters) > 4 else "•" * len(characters)


def clean_tax_id(value: str, *, label: str = "SSN/TIN") -> tuple[str, list[Problem]]:
    """An SSN, ITIN or EIN kept as typed (trimmed): leading zeros and dashes stay.

    Letters, symbols or a count of digits other than nine keep the value with a warning.
    The warning names only the last four digits, and its value is the masked number; `label`
    names the number in it (the contact's "SSN/TIN", the account's "EIN / tax ID").
    """
    if not value:
        return "", []
    text = scrub(value)
    if len(text) > 1 and text[0] == "'" and text[1].isdigit():
        text = text[1:]
    if not text:
        return "", []
    digits = [ch for ch in text if "0" <= ch <= "9"]
    if not _TAX_ID_FORMAT.fullmatch(text):
        if _MASKED.search(text):
            reason = "looks masked (only part of the number is there)"
        else:
            reason = "contains letters or symbols"
    elif len(digits) != 9:
        reason = f"has {len(digits)} digits instead of 9"
        if len(digits) < 9:
            reason += " (a spreadsheet may have dropped its leading zeros)"
    elif set(digits) == {"0"}:
        reason = "is all zeros"
    else:
        return text, []
    ending = f"ending in {''.join(digits[-4:])} " if len(digits) > 4 else ""
    kept = "it was kept for you to check."
    if len(text) > TAX_ID_MAX_LENGTH:
        text, kept = "", "it is too long to be a tax ID and was left out."
    problem = Problem("invalid_tax_id", f"The {label} {ending}{reason}; {kept}", value=mask_tax_id(value))
    return text, [problem]
