"""Plain text cells: control characters, formula guards, length limits, lists, postal codes."""

from __future__ import annotations

import re

from imports.problems import Problem

# Every C0/C1 control character (Unicode category Cc), the line and paragraph separators,
# zero-width space, byte-order marks, lone surrogates (they cannot be encoded to UTF-8 and
# would break the database write) and the two non-characters U+FFFE/U+FFFF.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What makes a spreadsheet run a cell as a formula, so exports put an apostrophe in front of it
# (imports/report.py) and the importer removes it again. Excel reads the full-width forms
# that East Asian keyboards type (＝＋－＠) as the ASCII ones.
FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
_FORMULA_STARTS = frozenset(FORMULA_STARTS)
_LIST_SEPARATORS = re.compile(r"[,;\r\n]|:::")  # pieces are trimmed after (a leading \s* is quadratic)
_GOOGLE_SYSTEM_LABEL = "* "
_PREVIEW = 40


def strip_formula_guard(value: str) -> str:
    """Remove ONE apostrophe that protected a formula-looking cell: "'=SUM(A1)" -> "=SUM(A1)".

    Only before = + - @ (or their full-width forms), so "'Tis" and "O'Brien" keep theirs.
    """
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_STARTS:
        return value[1:]
    return value


def scrub(value: str, *, allow_newlines: bool = False) -> str:
    """Trimmed text without control characters or formula guard; no length limit.

    Line breaks (Windows, old Mac, Unicode separators) become "\\n" when allowed and a space
    otherwise, so "12 Main St\\r\\nApt 4" does not glue "St" to "Apt". Tabs become spaces.
    """
    if not value:
        return ""
    if _UNSAFE.search(value) is not None:
        value = _LINE_BREAKS.sub("\n" if allow_newlines else " ", value).replace("\t", " ")
        if allow_newlines:
            value = "\n".join(_UNSAFE.sub("", line) for line in value.split("\n"))
        else:
            value = _UNSAFE.sub("", value)
    return strip_formula_guard(value.strip())


def clean_text(value: str, *, max_length: int = 255, allow_newlines: bool = False) -> tuple[str, list[Problem]]:
    """Trim, drop control characters and the formula guard, and enforce `max_length`."""
    value = scrub(value, allow_newlines=allow_newlines)
    if len(value) <= max_length:
        return value, []
    preview = value[:_PREVIEW].replace("\n", " ")
    problem = Problem(
        "text_truncated",
        f'"{preview}…" is {len(value)} characters long; only the first {max_length} characters were kept.',
    )
    return value[:max_length].rstrip(), [problem]


def split_list(value: str) -> list[str]:
    """Tags or team members in one cell: "VIP; 2024, Payroll".

    Separated by "," ";", line breaks or Google's ":::"; trimmed; empty entries and
    case-insensitive repeats dropped, keeping the first spelling. Google Contacts' system
    labels ("* myContacts", "* starred") are dropped: Google puts them on every contact and
    marks them with a leading "* ".
    """
    if not value:
        return []
    items: list[str] = []
    seen: set[str] = set()
    for part in _LIST_SEPARATORS.split(value):
        item = scrub(part)
        key = item.casefold()
        if item and key not in seen and not item.startswith(_GOOGLE_SYSTEM_LABEL):
            seen.add(key)
            items.append(item)
    return items


def clean_postal_code(value: str) -> str:
    """A postal code exactly as written, trimmed: leading zeros stay, nothing is guessed.

    A US ZIP that a spreadsheet shortened ("2134" for "02134") is kept as it is: padding it
    would be wrong for every other country. An apostrophe that forced text ("'02134") goes.
    """
    value = scrub(value)
    if len(value) > 1 and value[0] == "'" and value[1].isdigit():
        value = value[1:]
    return value
