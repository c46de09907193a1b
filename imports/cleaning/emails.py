"""Email cells: one or several addresses, display names, Google's ":::" separator."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from imports.problems import Problem

from .text import scrub

# Display names in quotes may hold commas ('"Smith, John" <john@x.com>'): they go first.
# A quote directly before "@" is a quoted local part, which the validator then rejects.
_QUOTED = re.compile(r'"[^"]*"(?!@)')
# An address in angle brackets, or in round ones as Outlook shows it ("Jane Roe (jane@x.com)").
_BRACKETED = re.compile(r"<([^<>]*)>|\((?=[^()]*@)([^()]*)\)")
# A comment in brackets after an address ("jane@x.com (home)"), not one touching it.
_COMMENT = re.compile(r"(?<!\S)\([^()@]*\)(?=[\s,;|]|$)")
# "Work: jane@x.com": a label that ends with a colon before the first address of an entry.
_LABEL = re.compile(r"^[^@:<>]*:(?=\s)")
_ALNUM = re.compile(r"[^\W_]")
_SPACE_REASON = "it contains a space; write a name with its address as Jane Roe <jane@x.com>"
_MAILTO = re.compile(r"mailto:", re.IGNORECASE)
_ENTRY_SEPARATORS = re.compile(r"[,;|\n]|:::")
_WORD_SEPARATORS = re.compile(r"\s+")
# One bare address: no spaces, separators, brackets, quotes, colons or control characters,
# and no final dot (which the general path trims).
_PLAIN = "[^\\s,;|<>\"'()\\[\\]:@\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff\ud800-\udfff]"
_SINGLE = re.compile(f"{_PLAIN}+@{_PLAIN}*(?<!\\.)")
# Cheap shape check that spares the validator obvious junk: one "@", a dot in the domain.
_PLAUSIBLE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# An ASCII address whose part before "@" is a dot-atom: see `_validated`.
_SIMPLE = re.compile(r"([A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)@([A-Za-z0-9.-]+)")
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
            return [_validated(value)], []
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
    for candidate, reason in _candidates(scrub(value, allow_newlines=True)):
        if reason is not None:
            problems.append(_invalid(candidate, reason))
            continue
        if _PLAUSIBLE.fullmatch(candidate) is None:
            problems.append(_invalid(candidate, _shape_reason(candidate)))
            continue
        try:
            email = _validated(candidate)
        except EmailNotValidError as error:
            problems.append(_invalid(candidate, _reason(error)))
            continue
        key = email.casefold()
        if key not in seen:
            seen.add(key)
            emails.append(email)
    return emails, problems


def _validated(address: str) -> str:
    """The address normalised by email-validator, or its EmailNotValidError.

    The common address is ASCII with a dot-atom of at most 64 characters before the "@": the
    validator accepts every such part as typed, so only the domain needs it, once per distinct
    domain (a file repeats a few thousand domains over its rows). Anything else, and every
    rejected domain, goes through the validator whole, so its answer and reason are unchanged."""
    match = _SIMPLE.fullmatch(address)
    if match is not None and len(match.group(1)) <= 64 and len(address) <= 254:
        domain = _valid_domain(match.group(2))
        if domain is not None:
            return f"{match.group(1)}@{domain}"
    return validate_email(address, check_deliverability=False).normalized


@lru_cache(maxsize=65536)
def _valid_domain(domain: str) -> str | None:
    """The domain as the validator normalises it; None when it rejects it."""
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


def _candidates(text: str) -> list[tuple[str, str | None]]:
    """The address-like pieces of a cell in order, each with why it is already known to be
    invalid (None when the validator should decide).

    Entries are split on "," ";" "|" line breaks and ":::". An entry with an address in angle
    brackets ("Jane Roe <jane@x.com>", or Outlook's "Jane Roe (jane@x.com)") takes that
    address: the words around it are the display name. Otherwise the entry is split on spaces
    ("a@x.com b@y.com"; see `_spaced_addresses` for a space typed inside an address). A name in
    quotes ('"Jane Roe" jane@x.com'), a comment in brackets ("jane@x.com (home)") and a label with
    a colon ("Work: jane@x.com") are left out.
    An entry with no address at all ("jane at x dot com") is reported, unless the cell uses
    angle brackets: then such entries are pieces of a display name ("Roe, Jane <jane@x.com>").
    """
    text = _COMMENT.sub(" ", _MAILTO.sub("", _QUOTED.sub(" ", text)))
    named = "<" in text or "(" in text and _BRACKETED.search(text) is not None
    candidates: list[tuple[str, str | None]] = []
    for entry in _ENTRY_SEPARATORS.split(text):
        bracketed = [match.group(1) or match.group(2) or "" for match in _BRACKETED.finditer(entry)]
        outside = _words(_BRACKETED.sub(" ", entry) if bracketed else _LABEL.sub("", entry))
        addresses = [word for word in outside if "@" in word]
        if bracketed:
            for inside in bracketed:
                words = _words(inside)
                if any("@" in word for word in words):
                    candidates.extend(_spaced_addresses(words))
                elif words:
                    candidates.append((" ".join(words), None))
            # Words outside the brackets are the display name, or the same address again
            # ("jane@x.com <jane@x.com>") when they are all addresses.
            if len(addresses) == len(outside):
                candidates.extend((word, None) for word in addresses)
        elif addresses:
            candidates.extend(_spaced_addresses(outside))
        elif not named:
            rest = " ".join(outside)
            if rest and rest.casefold() not in _PLACEHOLDERS:
                candidates.append((rest, None))
    return candidates


def _words(entry: str) -> list[str]:
    """The words of an entry, without surrounding punctuation; lone punctuation ("-") goes."""
    words = (word.strip(_TRIM).rstrip(".") for word in _WORD_SEPARATORS.split(entry))
    return [word for word in words if "@" in word or _ALNUM.search(word)]


# Words that may stand next to an address without being part of it.
_CONNECTORS = frozenset(["and", "or", "&", "+", "email", "e-mail", "mail", "work", "home", "personal", "office",
                         "business", "primary", "other", "main"])


def _spaced_addresses(words: list[str]) -> list[tuple[str, str | None]]:
    """Each address of an entry split on spaces, reported whole when a space was typed inside it.

    A space inside an address shows as a word ending in "@" ("jane@ gmail.com"), one starting
    with it ("jane @gmail.com"), or a lower-case word right before it ("delgado
    landscaping@gmail.com"): the pieces are reported together instead of guessing which one
    is the address. Other words are a name ("Ann Lee ann@x.com"), a label ("ed@x.com home")
    or a connector ("a@x.com or b@y.com") and are left out.
    """
    found: list[tuple[str, str | None]] = []
    used: set[int] = set()
    for index, word in enumerate(words):
        if "@" not in word or index in used:
            continue
        start, end = index, index
        if word.endswith("@") and index + 1 < len(words):
            end = index + 1
        if word.startswith("@") and index > 0:
            start = index - 1
        elif start == index and index > 0 and _glued(words[index - 1]):
            start = index - 1
        used.update(range(start, end + 1))
        if start == end:
            found.append((word, None))
        else:
            found.append((" ".join(words[start:end + 1]), _SPACE_REASON))
    return found


def _glued(word: str) -> bool:
    """A word that reads as the first half of an address split by a space."""
    return "@" not in word and word == word.lower() and word.casefold() not in _CONNECTORS and any(
        char.isalpha() for char in word
    )


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
