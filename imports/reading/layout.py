"""Where the table sits in the records: header row, preamble, headers, data rows and footer.

Reports exported by QuickBooks, Salesforce or LinkedIn put title lines above the header
("Acme CPA", "Customer Contact List", "All Dates", a LinkedIn "Notes:" paragraph) and, in
reports, a footer below the data (a blank row, then "Total","9", the report title again,
"Confidential Information - Do Not Distribute", a timestamp). These functions work on plain records
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
MAX_HEADER_CHARS = 200  # a longer header is cut for display (a 20,000-column file made every page huge)
# A report's count line: "Total", "Grand Total", "Total Clients: 8", "Record Count" (Salesforce
# writes "Total","9" in two cells). Only these words: a client named "Total Tax Services LLC" or
# "Total Wine" is a client.
_TOTAL_LABEL = (
    r"(grand\s+|sub)?totals?(\s+(number\s+of\s+)?(clients?|customers?|contacts?|accounts?|records?|rows?"
    r"|households?|entries|returns?|count))?|(record|row)\s+count"
)
_TOTAL_CELL = re.compile(rf"^\s*({_TOTAL_LABEL})\s*:?\s*(\d[\d,.]*)?\s*$", re.IGNORECASE)
_TOTAL_LABEL_CELL = re.compile(rf"^\s*({_TOTAL_LABEL})\s*:?\s*$", re.IGNORECASE)
_COUNT_CELL = re.compile(r"^\s*[-+(]?[$€£]?\s*\d[\d\s,.]*\)?\s*$")
# What report footers say (QuickBooks, Salesforce, accounting exports). A footer starts at a line
# that reads like one: a client named "Gamma" on a line of its own after a blank line is a
# client, and dropping it would lose a row.
_FOOTER_TEXT = re.compile(
    r"confidential|copyright|\(c\)|©|all rights reserved|^\s*generated\b"
    r"|\b(19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/(19|20)?\d\d\b"
    r"|^\s*page\s+\d+|^\s*(report|printed|run)\b|\bas of\b|\d{1,2}:\d{2}"
    r"|^\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


def looks_like_footer(text: str) -> bool:
    return bool(_TOTAL_CELL.match(text) or _FOOTER_TEXT.search(text))


def is_total_row(cells: Sequence[str]) -> bool:
    """A count line split over cells: a total label, then only numbers ("Total","9")."""
    filled = non_empty(cells)
    return (
        len(filled) >= 2
        and bool(_TOTAL_LABEL_CELL.match(filled[0]))
        and all(_COUNT_CELL.match(cell) for cell in filled[1:])
    )


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


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
    A repeated name becomes "Email (2)", "Email (3)", avoiding names the file already uses. A name
    longer than MAX_HEADER_CHARS is cut (with "…"): no real header is, and every page shows them.
    """
    names = [_cut(" ".join(cell.replace("\ufeff", "").split())) for cell in header_cells]
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


def _cut(name: str) -> str:
    return name if len(name) <= MAX_HEADER_CHARS else name[: MAX_HEADER_CHARS - 1].rstrip() + "…"


def data_width(records: Iterable[Record], header_row: int) -> int:
    """Columns the data rows among `records` (those below the header) add to the header's own.

    The header decides the width: a row longer than it usually holds a value with an unquoted
    delimiter ("Dubois; Martin" in a ";" file), and naming its overflow "Column 16" would turn it
    into a custom field for every client. Its cells go to `SourceRow.extra` instead. Data is kept
    as columns only where the header has cells, even blank ones (Excel writes every row as wide
    as the sheet, so "Name,Email,," has four columns), or where more than half the data rows
    reach: then it is the header that is short, not the rows that are long. Rows that could not
    be read reliably say nothing about the width.
    """
    header_cells = 0
    lengths: list[int] = []
    widest = 0
    for number, cells, error in records:
        if number == header_row:
            header_cells = len(cells)
        elif number > header_row and not error and not is_blank(cells):
            lengths.append(len(cells))
            widest = max(widest, span(cells))
    if not lengths:
        return 0
    lengths.sort(reverse=True)
    most_rows = lengths[len(lengths) // 2]  # more than half the rows have at least this many cells
    return min(widest, max(header_cells, most_rows))


def shape_rows(
    records: Iterable[Record],
    header_row: int,
    width: int,
    *,
    footer: list[str],
    keep_footer: bool,
    detect_footer: bool = True,
    titles: Sequence[str] = (),
) -> Iterator[SourceRow]:
    """Data rows below the header, cells lined up with the headers; blank records are skipped.

    Report footer (when there are at least 3 columns): after a blank record, records with a single
    non-empty cell or a count line ("Total","9") are held back. A later data row proves them data
    and they are yielded in order. At the end of the file, the footer is the held records from
    the first one that reads like a footer (totals, timestamps, copyright lines, or a repeat of a
    title line above the header, `titles`, as Salesforce writes the report name again) to the end;
    the lines after it need not ("Generated By: ..." then the firm's name), the ones before it are
    data. The footer is appended to `footer` as text (or yielded as rows when `keep_footer`).
    Holding at most FOOTER_MAX_ROWS keeps memory flat.
    """
    detect_footer = detect_footer and width >= FOOTER_MIN_COLUMNS
    title_texts = {_same_text(title) for title in titles}
    held: list[tuple[int, list[str]]] = []
    after_blank = False
    for number, cells, error in records:
        if number <= header_row:
            continue
        if not error and is_blank(cells):
            after_blank = detect_footer
            continue
        if (
            after_blank
            and not error
            and len(held) < FOOTER_MAX_ROWS
            and (len(non_empty(cells)) == 1 or is_total_row(cells))
        ):
            held.append((number, cells))
            continue
        if held:
            for held_number, held_cells in held:
                yield make_row(held_number, held_cells, "", width)
            held.clear()
        after_blank = False
        yield make_row(number, cells, error, width)
    start = next(
        (index for index, (_number, cells) in enumerate(held) if _reads_like_footer(cells, title_texts)),
        len(held),
    )
    for index, (held_number, held_cells) in enumerate(held):
        if index < start or keep_footer:
            yield make_row(held_number, held_cells, "", width)
        else:
            footer.append(" ".join(non_empty(held_cells)))


def _reads_like_footer(cells: Sequence[str], title_texts: set[str]) -> bool:
    if is_total_row(cells):
        return True
    text = " ".join(non_empty(cells))
    return looks_like_footer(text) or _same_text(text) in title_texts


def make_row(number: int, cells: list[str], error: str, width: int) -> SourceRow:
    count = len(cells)
    if count == width:
        return SourceRow(number, cells, [], error)
    if count < width:
        return SourceRow(number, cells + [""] * (width - count), [], error)
    return SourceRow(number, cells[:width], [cell for cell in cells[width:] if cell.strip()], error)
