"""How headers compare: `normalize_header` folds case, accents, punctuation and camelCase, and the
lookup keys built from it (without spaces, with the words sorted)."""

from __future__ import annotations

import re
import unicodedata


_EMAIL_WORD = re.compile(r"\be[\s_.\-]?mail", re.IGNORECASE)
_LOWER_UPPER = re.compile(r"(?<=[a-z])(?=[A-Z])")  # emailAddress -> email Address
_ACRONYM_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")  # POAddress -> PO Address
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")  # Line1 -> Line 1
_NON_WORD = re.compile(r"[\W_]+")


def normalize_header(header: str) -> str:
    """The comparable form of a header: lower-case words separated by single spaces.

    Case, accents, punctuation, underscores and camelCase are folded, "E-mail" is "email", and
    digits are split from letters: "E-mail Address", "email_address" and "EmailAddress" all give
    "email address"; "*ContactName" gives "contact name"; "Person1Email" gives "person 1 email".
    """
    text = unicodedata.normalize("NFKC", header or "").replace("\ufeff", "")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("'", "").replace("\u2019", "")  # "Assistant's Phone" -> "Assistants Phone"
    text = _EMAIL_WORD.sub("email", text)
    if any(c.islower() for c in text) and any(c.isupper() for c in text):
        text = _ACRONYM_WORD.sub(" ", _LOWER_UPPER.sub(" ", text))
    text = _LETTER_DIGIT.sub(" ", text)
    text = text.replace("&", " and ").replace("#", " number ")
    return " ".join(_NON_WORD.sub(" ", text).casefold().split())


def _key(header: str) -> str:
    """Lookup key: the normalised header without spaces, so "FIRSTNAME" == "First Name"."""
    return normalize_header(header).replace(" ", "")


def _digits(normalized: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", normalized))


def _sorted_key(normalized: str) -> str:
    """Lookup key with the words sorted: "Name First" finds "First Name"."""
    return "".join(sorted(normalized.split()))
