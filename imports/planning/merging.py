"""The additive rule every planned value follows: fill empty values; replace only with
*overwrite* (`_merge`, which answers `_KEEP` for a value to leave as it is)."""

from __future__ import annotations


_EMPTY = (None, "", [], {})


def _merge(current, new, overwrite: bool):
    """The additive rule (docs/import-rules.md, "Updates and re-imports"): fill empty values;
    replace only with *overwrite*. Returns the value to write, or _KEEP."""
    if new in _EMPTY:
        return _KEEP
    if current in _EMPTY:
        return new
    if overwrite and current != new:
        return new
    return _KEEP


_KEEP = object()
