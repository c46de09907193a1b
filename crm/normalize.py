"""Keys that decide when two spellings are the same record (DESIGN §3.2)."""

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


def normalize_email_key(email: str) -> str:
    """Email identity: case-insensitive, as firms and mail providers treat addresses."""
    return (email or "").strip().casefold()


def contact_name_key(first_name: str, last_name: str) -> str:
    """Identity of a contact without email within its account: first and last name, each
    normalised, kept apart so "Lee" as a first name is not "Lee" as a last name."""
    return f"{normalize_name_key(first_name, 100)}|{normalize_name_key(last_name, 100)}"
