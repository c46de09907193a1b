"""Where the table sits in the records: header row, preamble, headers, data rows and footer.

Reports exported by QuickBooks, Salesforce or LinkedIn put title lines above the header
("Acme CPA", "Customer Contact List", "All Dates", a LinkedIn "Notes:" paragraph) and, in
reports, a footer below the data (a blank row, then "Confidential Information - Do Not
Distribute", a timestamp, "Total"). These functions work on plain records
`(number, cells, error)` so CSV, IIF and spreadsheets share them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence

from .types import SourceRow

HEADER_SCAN_RECORDS = 50  # the header is looked for among the first 50 records
WIDTH_SCAN_RECORDS = 1000  # data below the header checked for columns the header leaves blank
FOOTER_MIN_COLUMNS = 3
FOOTER_MAX_ROWS = 20  # more single-cell rows than this after a blank row are data, not a footer
# What report footers say (QuickBooks, Salesforce, accounting exports). A single-cell row after
# a blank line is a footer only when it reads like one: a client named "Gamma" on a line of
# its own is a client, and dropping it would lose a row.
_FOOTER_TEXT = re.compile(
    r"^\s*(grand\s+)?totals?\b|confidential|copyright|\(c\)|©|all rights reserved|^\s*generated\b"
    r"|\b(19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/(19|20)?\d\d\b"
    r"|^\s*page\s+\d+|^\s*(report|printed|run)\b|\bas of\b|\d{1,2}:\d{2}"
    r"|^\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


def looks_like_footer(text: str) -> bool:
    return bool(_FOOTER_TEXT.search(text))

Record = tuple[int, list[str], str]

_DATA_LIKE = re.compile(
    r"""^(
        [-+(]?[$€£]?\s*\d[\d\s,.'/:()-]*%?\)?      # numbers, amounts, phones, dates, times
      | \S+@\S+\.\S+                               # emails
      | (https?://|www\.)\S+                       # links
      | (true|false|yes|no)                        # booleans
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_blank(cells: Sequence[str]) -> bool:
    return not "".join(cells).strip()


def non_empty(cells: Sequence[str]) -> list[str]:
    return [cell.strip() for cell in cells if cell.strip()]


def span(cells: Sequence[str]) -> int:
    """Columns up to the last non-empty cell."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index].strip():
            return index + 1
    return 0


def find_header_row(records: Sequence[Record]) -> int:
    """The first record that looks like a header; the first non-blank record if none does.

    A header has enough non-empty cells (at least 2, and at least a third of the widest record
    seen, so a one-cell title never qualifies), mostly text (at most a third numbers, dates,
    emails or links), mostly distinct names, no "Label:" cell unless it is as wide as the widest
    record ("Report:,Client list" is a title), and the next non-blank record is about as wide
    (a title followed by another title is not a header). Data rows rarely pass the "mostly text"
    test, which is why the fallback is the first record rather than a data row.
    """
    rows = [(number, cells) for number, cells, error in records if not error and not is_blank(cells)]
    if not rows:
        return records[0][0] if records else 1
    widest = max(len(non_empty(cells)) for _number, cells in rows)
    if widest <= 1:
        return rows[0][0]
    need = max(2, math.ceil(widest / 3))
    for index, (number, cells) in enumerate(rows):
        names = non_empty(cells)
        if len(names) < need:
            continue
        if sum(1 for name in names if _DATA_LIKE.match(name)) * 3 > len(names):
            continue
        if len({name.casefold() for name in names}) * 2 < len(names):
            continue
        if len(names) < widest and any(name.endswith(":") for name in names):
            continue
        if index + 1 < len(rows) and len(rows[index + 1][1]) < max(2, math.ceil(span(cells) / 2)):
            continue
        return number
    return rows[0][0]


def preamble_of(records: Iterable[Record], header_row: int) -> list[str]:
    """The text of the non-blank records above the header, one string per record."""
    return [
        " ".join(non_empty(cells))
        for number, cells, _error in records
        if number < header_row and not is_blank(cells)
    ]


def make_headers(header_cells: Sequence[str], data_width: int) -> list[str]:
    """Trimmed, unique column names.

    Trailing blank header cells are dropped unless the data below (`data_width`, measured on the
    first rows) uses those columns; a blank name that stays becomes "Column N" (N counted from 1).
    A repeated name becomes "Email (2)", "Email (3)", avoiding names the file already uses.
    """
    names = [" ".join(cell.replace("\ufeff", "").split()) for cell in header_cells]
    width = max(span(names), data_width)
    names = (names + [""] * width)[:width]
    names = [name or f"Column {index}" for index, name in enumerate(names, start=1)]
    taken = {name.casefold() for name in names}
    seen: set[str] = set()
    unique = []
    for name in names:
        key = name.casefold()
        if key in seen:
            copy = 2
            while f"{name} ({copy})".casefold() in taken:
                copy += 1
            name = f"{name} ({copy})"
            taken.add(name.casefold())
        seen.add(name.casefold())
        unique.append(name)
    return unique


def data_width(records: Iterable[Record], header_row: int) -> int:
    """Columns used by the data rows among `records` (those below the header)."""
    return max((span(cells) for number, cells, _error in records if number > header_row), default=0)


def shape_rows(
    records: Iterable[Record],
    header_row: int,
    width: int,
    *,
    footer: list[str],
    keep_footer: bool,
    detect_footer: bool = True,
) -> Iterator[SourceRow]:
    """Data rows below the header, cells lined up with the headers; blank records are skipped.

    Report footer: after a blank record, records with a single non-empty cell, the first of which
    reads like a footer (totals, timestamps, copyright lines; when there are at least 3 columns),
    are held back. A later data row proves them data and they are yielded in
    order; at the end of the file they are the footer, appended to `footer` as text (or yielded
    as rows when `keep_footer`). Holding at most FOOTER_MAX_ROWS keeps memory flat.
    """
    detect_footer = detect_footer and width >= FOOTER_MIN_COLUMNS
    held: list[tuple[int, list[str]]] = []
    after_blank = False
    for number, cells, error in records:
        if number <= header_row:
            continue
        if not error and not "".join(cells).strip():
            after_blank = detect_footer
            continue
        filled = non_empty(cells) if after_blank and not error else []
        # The first line after the blank must read like a footer; the lines after it may not
        # ("Generated By: ..." then the firm's name).
        if len(filled) == 1 and len(held) < FOOTER_MAX_ROWS and (held or looks_like_footer(filled[0])):
            held.append((number, cells))
            continue
        if held:
            for held_number, held_cells in held:
                yield make_row(held_number, held_cells, "", width)
            held.clear()
        after_blank = False
        yield make_row(number, cells, error, width)
    if keep_footer:
        for held_number, held_cells in held:
            yield make_row(held_number, held_cells, "", width)
    else:
        footer.extend(non_empty(cells)[0] for _number, cells in held)


def make_row(number: int, cells: list[str], error: str, width: int) -> SourceRow:
    count = len(cells)
    if count == width:
        return SourceRow(number, cells, [], error)
    if count < width:
        return SourceRow(number, cells + [""] * (width - count), [], error)
    return SourceRow(number, cells[:width], [cell for cell in cells[width:] if cell.strip()], error)
