"""QuickBooks Desktop IIF lists: tab-separated sections, each opened by a `!TYPE` header line.

A customer list export looks like:

    !HDR    PROD    VER ...          <- file header section, ignored
    HDR     QuickBooks Pro  ...
    !CUST   NAME    BADDR1  ...  EMAIL   PHONE1      <- the field names
    CUST    Acme Inc        1 Main St    ...
    !ENDGRP / ENDGRP                                  <- group markers, ignored

Only the `!CUST` section is read: its field names (without the leading "!CUST") are the headers,
and each `CUST` line (without its "CUST") is a row. Line numbers stay those of the file, so a
skipped row can be found in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .delimited import Record, read_records
from .types import UnreadableFile

SECTION = "CUST"
_IIF_START = re.compile(r"\s*![A-Z]+\t")


def looks_like_iif(text_head: str) -> bool:
    return bool(_IIF_START.match(text_head.lstrip("\ufeff")))


def iif_records(lines: Iterable[str]) -> Iterator[Record]:
    """The `!CUST` header record, then each `CUST` record, with the leading type field removed."""
    header_seen = False
    for number, cells, error in read_records(lines, "\t"):
        kind = cells[0].strip().upper() if cells else ""
        if kind == "!" + SECTION and not header_seen:
            header_seen = True
            yield number, cells[1:], error
        elif kind == SECTION and header_seen:
            yield number, cells[1:], error


def iif_header_row(records: Iterable[Record]) -> int:
    for number, _cells, _error in records:
        return number
    raise UnreadableFile("This QuickBooks IIF file has no customer list (no !CUST section).")
