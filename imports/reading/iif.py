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

Two fields are free-form in QuickBooks and are turned into columns a mapping can use:

- NAME is the full name, "Customer:Job" for a job (up to "A:B:C"). Next to it come "Customer"
  (the top-level customer, which the QuickBooks IIF preset maps to the account name, so a job
  belongs to its customer's account) and "Job" (the rest, empty for a customer).
- BADDR1..BADDR5 (bill to) and SADDR1..SADDR5 (ship to) are the lines of a printed address:
  usually the customer's name, maybe a contact, the street lines, then "Boston, MA 02118", in
  whatever lines each customer used. Each block becomes "Billing Attention", "Billing Street",
  "Billing Street 2", "Billing City", "Billing State", "Billing ZIP", "Billing Country" (and
  "Shipping ..."), split per row. Leading lines that only repeat the customer's or a contact's
  name are dropped; every other line lands in one of these columns, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from imports.cleaning.addresses import looks_like_street_line, split_city_line

from .delimited import Record, read_records
from .types import UnreadableFile

SECTION = "CUST"
_IIF_START = re.compile(r"\s*![A-Z]+\t")


def looks_like_iif(text_head: str) -> bool:
    return bool(_IIF_START.match(text_head.lstrip("\ufeff")))


def iif_records(lines: Iterable[str]) -> Iterator[Record]:
    """The `!CUST` header record, then each `CUST` record, with the leading type field removed
    and NAME and the address lines turned into columns (see the module docstring)."""
    layout: _Layout | None = None
    for number, cells, error in read_records(lines, "\t"):
        kind = cells[0].strip().upper() if cells else ""
        if kind == "!" + SECTION and layout is None:
            layout = _Layout(cells[1:])
            yield number, layout.headers, error
        elif kind == SECTION and layout is not None:
            yield number, layout.row(cells[1:]), error


def iif_header_row(records: Iterable[Record]) -> int:
    for number, _cells, _error in records:
        return number
    raise UnreadableFile("This QuickBooks IIF file has no customer list (no !CUST section).")


# --- NAME and address lines --------------------------------------------------------------------

ADDRESS_FIELDS = ("Attention", "Street", "Street 2", "City", "State", "ZIP", "Country")
_ADDRESS_BLOCKS = {"BADDR": "Billing", "SADDR": "Shipping"}
_ADDRESS_LINE = re.compile(r"^(BADDR|SADDR)([1-5])$")
_NAME_FIELDS = ("NAME", "COMPANYNAME", "CONT1", "CONT2", "FIRSTNAME", "MIDINIT", "LASTNAME")


class _Layout:
    """How the `!CUST` fields become columns, and each `CUST` row with them."""

    def __init__(self, fields: list[str]):
        keys = [field.strip().upper() for field in fields]
        self._width = len(fields)
        self._fields = {key: index for index, key in reversed(list(enumerate(keys)))}  # first of a repeat
        self._name = self._fields.get("NAME")
        blocks: dict[str, dict[int, int]] = {}
        for index, key in enumerate(keys):
            line = _ADDRESS_LINE.match(key)
            if line:
                blocks.setdefault(line.group(1), {}).setdefault(int(line.group(2)), index)
        # Each column: ("field", index), ("name", part) or ("address", block, field).
        self._columns: list[tuple] = []
        self.headers: list[str] = []
        placed: set[str] = set()
        for index, (field, key) in enumerate(zip(fields, keys)):
            line = _ADDRESS_LINE.match(key)
            if line:
                block = line.group(1)
                if block not in placed:  # the whole block where its first line was
                    placed.add(block)
                    for part in range(len(ADDRESS_FIELDS)):
                        self._columns.append(("address", block, part))
                        self.headers.append(f"{_ADDRESS_BLOCKS[block]} {ADDRESS_FIELDS[part]}")
                continue
            self._columns.append(("field", index))
            self.headers.append(field)
            if index == self._name:
                self._columns += [("name", 0), ("name", 1)]
                self.headers += ["Customer", "Job"]
        self._blocks = {block: [lines[n] for n in sorted(lines)] for block, lines in blocks.items()}

    def row(self, cells: list[str]) -> list[str]:
        def cell(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        full_name = cell(self._name)
        customer, _, job = full_name.partition(":")
        names = {customer.strip(), job.strip()}
        names.update(cell(self._fields.get(key)) for key in _NAME_FIELDS)
        names.add(" ".join(cell(self._fields.get(key)) for key in ("FIRSTNAME", "LASTNAME")))
        names.add(" ".join(cell(self._fields.get(key)) for key in ("FIRSTNAME", "MIDINIT", "LASTNAME")))
        known = {_same(name) for name in names} - {""}
        addresses = {
            block: split_address([cell(index) for index in indexes], known) for block, indexes in self._blocks.items()
        }
        out = []
        for column in self._columns:
            if column[0] == "field":
                out.append(cell(column[1]))
            elif column[0] == "name":
                out.append(customer.strip() if column[1] == 0 else job.strip())
            else:
                out.append(addresses[column[1]][column[2]])
        # Cells beyond the !CUST fields stay at the end, where the reader reports them as extra.
        return out + cells[self._width:]


def split_address(lines: list[str], names: set[str] = frozenset()) -> list[str]:
    """Printed address lines as (attention, street, street 2, city, state, ZIP, country).

    Leading lines equal (case and spacing aside) to one of `names` are dropped: QuickBooks starts
    the address with the customer's name. The last "City, ST ZIP" line gives city, state and
    ZIP, and what follows it the country. Before it, the first line that starts like a street
    ("12 Elm St", "PO Box 4") is the street and the lines after it street 2; lines before the
    street ("c/o Wei Chen", "Attn: Payables") are the attention line. With no street-like line,
    the first line is the street.
    """
    lines = [line.strip() for line in lines if line.strip()]
    while lines and _same(lines[0]) in names:
        lines.pop(0)
    city = state = postal = country = ""
    for index in range(len(lines) - 1, -1, -1):
        found = split_city_line(lines[index])
        if found:
            city, state, postal = found
            country = ", ".join(lines[index + 1:])
            lines = lines[:index]
            break
    start = next((index for index, line in enumerate(lines) if looks_like_street_line(line)), 0)
    attention = ", ".join(lines[:start])
    street = lines[start] if start < len(lines) else ""
    street2 = ", ".join(lines[start + 1:])
    return [attention, street, street2, city, state, postal, country]


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()
