"""Email cells: one or several addresses, display names, Google's ":::" separator."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from imports.problems import Problem

from .text import scrub

# Display names in quotes may hold commas ('"Smith, John" <john@x.com>'): they go first.
# A quote directly before "@" is a quoted local part, which the validator then rejects.
_QUOTED = re.compile(r'"[^"]*"(?!@)')
_ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")
_MAILTO = re.compile(r"mailto:", re.IGNORECASE)
_ENTRY_SEPARATORS = re.compile(r"[,;|\n]|:::")
_WORD_SEPARATORS = re.compile(r"\s+")
# One bare address: no spaces, separators, brackets, quotes, colons or control characters,
# and no final dot (which the general path trims).
_PLAIN = "[^\\s,;|<>\"'()\\[\\]:@\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff\ud800-\udfff]"
_SINGLE = re.compile(f"{_PLAIN}+@{_PLAIN}*(?<!\\.)")
# Cheap shape check that spares the validator obvious junk: one "@", a dot in the domain.
_PLAUSIBLE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TRIM = "<>()[]{}'\"`,:;"
_PREVIEW = 80
# What people type when a contact has no address; not worth a warning each.
_PLACEHOLDERS = frozenset({"-", "--", "n/a", "na", "none", "null", "no email", "noemail", "unknown"})


def clean_emails(value: str) -> tuple[list[str], list[Problem]]:
    """Valid, normalised addresses of a cell in order (the first is the primary one).

    Normalised as email-validator does: the domain lower-cased (IDNA-decoded), the part before
    "@" kept as typed. Repeats (ignoring case) are dropped. Each invalid address is reported
    and left out; the others are kept.
    """
    if not value:
        return [], []
    if _SINGLE.fullmatch(value) is not None:
        # The common cell: one bare address, nothing to split or clean.
        if _PLAUSIBLE.fullmatch(value) is None:
            return [], [_invalid(value, _shape_reason(value))]
        try:
            return [validate_email(value, check_deliverability=False).normalized], []
        except EmailNotValidError as error:
            return [], [_invalid(value, _reason(error))]
    if "@" not in value:
        text = scrub(value)
        if not text or text.casefold() in _PLACEHOLDERS:
            return [], []
        return [], [_invalid(text, "it has no @ sign")]

    emails: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for candidate in _candidates(scrub(value, allow_newlines=True)):
        if _PLAUSIBLE.fullmatch(candidate) is None:
            problems.append(_invalid(candidate, _shape_reason(candidate)))
            continue
        try:
            email = validate_email(candidate, check_deliverability=False).normalized
        except EmailNotValidError as error:
            problems.append(_invalid(candidate, _reason(error)))
            continue
        key = email.casefold()
        if key not in seen:
            seen.add(key)
            emails.append(email)
    return emails, problems


def _candidates(text: str) -> list[str]:
    """The address-like pieces of a cell, in order.

    Entries are split on "," ";" "|" line breaks and ":::", then on spaces. Words without "@"
    next to an address are a display name ("Jane Roe jane@x.com"). An entry with no address
    at all ("jane at x dot com") is reported, unless the cell uses angle brackets: then such
    entries are pieces of a display name ("Roe, Jane <jane@x.com>").
    """
    text = _MAILTO.sub("", _QUOTED.sub(" ", text))
    named = "<" in text
    if named:
        text = _ANGLE_ADDRESS.sub(r" \1 ", text)
    candidates = []
    for entry in _ENTRY_SEPARATORS.split(text):
        words = [word.strip(_TRIM).rstrip(".") for word in _WORD_SEPARATORS.split(entry)]
        addresses = [word for word in words if "@" in word]
        if addresses:
            candidates.extend(addresses)
        elif not named:
            rest = " ".join(word for word in words if word)
            if rest and rest.casefold() not in _PLACEHOLDERS:
                candidates.append(rest)
    return candidates


def _shape_reason(candidate: str) -> str:
    if "@" not in candidate:
        return "it has no @ sign"
    if candidate.count("@") > 1:
        return "it has more than one @ sign"
    if candidate.startswith("@"):
        return "nothing comes before the @ sign"
    return "the part after the @ sign is not a domain name like example.com"


def _reason(error: EmailNotValidError) -> str:
    reason = str(error).strip().rstrip(".")
    return reason[:1].lower() + reason[1:] if reason else "it is not an email address"


def _invalid(candidate: str, reason: str) -> Problem:
    if len(candidate) > _PREVIEW:
        candidate = candidate[:_PREVIEW] + "…"
    return Problem("invalid_email", f'"{candidate}" is not a valid email address ({reason}); it was left out.')
