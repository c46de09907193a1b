"""The values the reading stage hands to the rest of the import."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# A workbook is a ZIP of XML that the spreadsheet reader unpacks and holds whole: its unpacked
# size is capped too, so a small upload cannot unpack into gigabytes (a "zip bomb").
DEFAULT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
# No client list has a line near this long; a file that does is refused as soon as the reader
# meets it, instead of being held whole in memory as one giant line.
DEFAULT_MAX_LINE_CHARS = 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; `str(exc)` is one sentence for a firm owner."""


@dataclass
class ReadOptions:
    """Explicit choices of the user; each one overrides the matching guess."""

    encoding: str | None = None  # CSV/TSV
    delimiter: str | None = None  # CSV/TSV
    header_row: int | None = None  # 1-based record number, as Excel numbers rows
    sheet: str | None = None  # spreadsheets: sheet name; default: first sheet with data
    keep_footer: bool = False  # True: rows that look like a report footer are data rows
    max_bytes: int = DEFAULT_MAX_BYTES  # refused before any parsing
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES  # XLSX/XLSB/ODS, as their ZIP directory declares
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS  # one line of text, or one spreadsheet row's cells together
    # What an earlier opening of this very file found (stored on the import job): when given,
    # the file is not detected again (no encoding pass over the whole file, no delimiter
    # sniffing, no header search); the choices above must be the ones it was found with.
    known: TableInfo | None = None


@dataclass
class TableInfo:
    """What was read and how: shown to the user so every guess can be checked and changed."""

    format: str  # "csv", "xlsx", "xls", "xlsb", "ods", "iif"
    encoding: str | None  # None for spreadsheets
    delimiter: str | None  # None for spreadsheets
    header_row: int
    sheet: str | None
    sheets: list[str]  # [] for text files
    headers: list[str]  # unique and trimmed; blank ones named "Column N"
    preamble: list[str]  # report title lines above the header row
    detected: dict = field(default_factory=dict)  # the guesses: encoding, delimiter, header_row, sheet


@dataclass(slots=True)
class SourceRow:
    """One data row, its cells lined up with `TableInfo.headers`."""

    number: int  # 1-based record number in the file or sheet (a quoted multi-line cell is one record)
    cells: list[str]  # exactly len(headers) strings
    extra: list[str]  # non-empty cells beyond the last header, so nothing is silently lost
    error: str = ""  # non-empty: the row could not be read reliably; a sentence saying why
