"""Keys that decide when two spellings are the same record (DESIGN §3.2)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name_key(name: str) -> str:
    """Account-name key: NFKC, trimmed, inner whitespace collapsed, case-folded.

    "  ACME   Corp " and "acme corp" are the same account; "Ａｃｍｅ" (full-width) too.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name or "")).strip().casefold()


def normalize_email_key(email: str) -> str:
    """Email identity: case-insensitive, as firms and mail providers treat addresses."""
    return (email or "").strip().casefold()
