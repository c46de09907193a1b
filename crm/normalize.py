"""Keys that decide when two spellings are the same record (docs/import-rules.md, "Account names are not unique")."""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name_key(name: str, max_length: int = 255) -> str:
    """Account-name key: NFKC, trimmed, inner whitespace collapsed, case-folded.

    "  ACME   Corp " and "acme corp" are the same account; "Ａｃｍｅ" (full-width) too. NFKC and
    case-folding can lengthen a name ("ﬃ" -> "ffi", "ß" -> "ss"), so the key is cut to the
    column that stores it; every caller cuts the same way, so lookups still match.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name or "")).strip().casefold()[:max_length]


def account_name_key(name: str) -> str:
    """Account-name key: `normalize_name_key`, with a person written "Family, Given" keyed as
    "Given Family". "Rivera, Ana" (QuickBooks, a tax program) and "Ana Rivera" are one client's
    two spellings, so a second import from another system finds the first one's account; a
    firm that names individuals "Last, First" matches "First Last" files too. Names are not
    unique (docs/crm-rules.md): the key only finds candidates.
    """
    if "," in (name or ""):
        person = _comma_person_name()(name)
        if person is not None:
            name = f"{person[0]} {person[1]}"
    return normalize_name_key(name)


@functools.cache
def _comma_person_name():
    """The one rule of what a person's name is, in the cleaners; imported on first use, since
    the cleaners import this module."""
    from imports.cleaning.names import comma_person_name

    return comma_person_name


def normalize_email_key(email: str) -> str:
    """Email identity: case-insensitive, as firms and mail providers treat addresses."""
    return (email or "").strip().casefold()


def contact_name_key(first_name: str, last_name: str) -> str:
    """Identity of a contact without email within its account: first and last name, each
    normalised, kept apart so "Lee" as a first name is not "Lee" as a last name."""
    return f"{normalize_name_key(first_name, 100)}|{normalize_name_key(last_name, 100)}"
