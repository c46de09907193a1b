"""Client status: `clean_status` reads "active" or "inactive" from a status cell by its column's
meaning (a flag such as Inactive or Hidden, or a Status column)."""

from __future__ import annotations

import re

from imports import cleaning
from imports.problems import Problem


# What a status cell means depends on its column: "Inactive: Y" and "Active: N" say the same.
# Headers are compared as words, lower-cased ("Is Archived", "IsArchived", "HIDDEN").
_NEGATIVE_FLAG_WORDS = frozenset("inactive hidden archived deleted closed disabled".split())
_STATUS_ACTIVE = frozenset("active current open enabled live ongoing engaged".split())
_STATUS_INACTIVE = frozenset(
    "inactive archived archive former closed hidden deleted disabled terminated dormant lost ended past "
    "disengaged departed gone prior".split()
)
_STATUS_NOISE = frozenset("client clients customer account contact status".split())  # "Former client"
_HEADER_WORDS = re.compile(r"[a-z]+")


def _header_words(header: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)  # IsArchived -> Is Archived
    return set(_HEADER_WORDS.findall(spaced.casefold()))


def clean_status(raw: str, header: str) -> tuple[str, list[Problem]]:
    """"active" / "inactive" from a status cell, read by its column's meaning; "" and a
    warning for a value that says neither (the account's status is then left as it is).

    A flag column named for the inactive state (Inactive, Hidden, Archived, Is Archived: IIF
    HIDDEN, Xero, QuickBooks) is inactive when its value is yes; any other status column
    (Status, Client Status, Active, Active Status) reads yes as active, no as inactive, and
    status words (Active, Inactive, Archived, Former, Closed...) as they say."""
    value, problems = cleaning.clean_text(raw, max_length=100)
    words = [w for w in value.casefold().replace("-", " ").replace("_", " ").split() if w not in _STATUS_NOISE]
    word = " ".join(words)
    if word in _STATUS_INACTIVE or word == "not active":
        return "inactive", []
    negative = bool(_header_words(header) & _NEGATIVE_FLAG_WORDS)
    flag, _ = cleaning.clean_yes_no(value)
    if flag is not None and not (word in _STATUS_ACTIVE and negative):
        return ("inactive" if flag == negative else "active"), []
    if word in _STATUS_ACTIVE:
        return "active", []
    return "", [*problems, Problem(
        "unknown_status",
        f"{value[:60]!r} is not a client status we know (Active or Inactive; yes or no in a flag column such as "
        "Inactive); the account's status was left as it is.",
    )]
