"""XLSX, XLSB, XLS and ODS through python-calamine, every cell turned into text.

calamine returns every number as a float (a phone typed as a number comes back 3125550100.0),
dates as date/datetime, and empty, error and uncached formula cells as "". The cleaning stage must
only ever see what a person would read in the cell, so: integral floats become integer text
("3125550100"), other numbers keep up to 15 significant digits (what Excel displays, so
0.1 + 0.2 reads "0.3"), dates become ISO ("2024-03-01", "2024-03-01 10:30:00"; a datetime at
midnight is a date), booleans "TRUE"/"FALSE". Text cells are untouched: leading zeros survive.

calamine parses a whole sheet when it is opened (memory grows with the sheet, unlike CSV);
rows are then converted lazily, one at a time, by `iter_rows()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from .layout import Record
from .source import Source
from .types import UnreadableFile

PASSWORD_PROTECTED = (
    "This workbook is password-protected; remove the password in Excel and upload it again."
)
DAMAGED = (
    "This spreadsheet is damaged or uses a form that cannot be read; open it in Excel and "
    "save it again as XLSX or CSV."
)
NOT_A_WORKBOOK = "This file is a Microsoft Office document but not an Excel workbook."


def cell_text(value: object) -> str:
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is float:
        if value.is_integer():  # type: ignore[union-attr]
            return str(int(float(f"{value:.15g}")))
        return f"{value:.15g}"
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        if value.time() == dt.time(0):  # type: ignore[union-attr]
            return value.date().isoformat()  # type: ignore[union-attr]
        return value.isoformat(sep=" ", timespec="seconds")  # type: ignore[union-attr]
    if kind is dt.date:
        return value.isoformat()  # type: ignore[union-attr]
    if kind is dt.time:
        return value.isoformat(timespec="seconds")  # type: ignore[union-attr]
    if kind is dt.timedelta:
        return str(value)
    return "" if value is None else str(value)


class Workbook:
    """An open workbook: its sheet names and the records of one sheet."""

    def __init__(self, source: Source, file_format: str):
        self.format = file_format
        self._sheet: tuple[str, CalamineSheet] | None = None
        self._handle = source.spreadsheet_handle()
        try:
            self._book = CalamineWorkbook.from_object(self._handle)
        except PasswordError as exc:
            self._close_handle()
            raise UnreadableFile(PASSWORD_PROTECTED) from exc
        except (CalamineError, ValueError, OSError) as exc:
            self._close_handle()
            raise UnreadableFile(_why_unreadable(source, file_format)) from exc
        self.sheets = list(self._book.sheet_names)
        self._visible = [
            meta.name
            for meta in self._book.sheets_metadata
            if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
        ]

    def default_sheet(self) -> str:
        """The first visible worksheet holding data (the first sheet when none does)."""
        for name in self._visible:
            if self._load(name).start is not None:
                return name
        if not self.sheets:
            raise UnreadableFile("This workbook has no sheets.")
        return self.sheets[0]

    def has_data(self, name: str) -> bool:
        return self._load(name).start is not None

    def records(self, name: str) -> Iterator[Record]:
        """Every row of the sheet as text; numbers are the sheet's row numbers (1 = Excel row 1)."""
        sheet = self._load(name)
        # iter_rows() starts at the sheet's first row even when the data starts lower (checked on
        # calamine 0.9; the tests pin it), so the position is the row number.
        for index, row in enumerate(sheet.iter_rows(), start=1):
            yield index, [value if type(value) is str else cell_text(value) for value in row], ""

    def close(self) -> None:
        self._book.close()
        self._close_handle()

    def _load(self, name: str) -> CalamineSheet:
        # Each get_sheet_by_name() parses the sheet again; keep the last one.
        if self._sheet is not None and self._sheet[0] == name:
            return self._sheet[1]
        try:
            sheet = self._book.get_sheet_by_name(name)
        except PasswordError as exc:
            raise UnreadableFile(PASSWORD_PROTECTED) from exc
        except CalamineError as exc:
            raise UnreadableFile(DAMAGED) from exc
        self._sheet = (name, sheet)
        return sheet

    def _close_handle(self) -> None:
        if not isinstance(self._handle, str):
            self._handle.close()


def _why_unreadable(source: Source, file_format: str) -> str:
    """Refusal for a workbook calamine could not open: locked, not a workbook, or damaged."""
    if file_format == "xls":
        # A password-protected XLSX is a compound file holding an "EncryptedPackage" stream.
        if source.contains("EncryptedPackage".encode("utf-16-le")):
            return PASSWORD_PROTECTED
        if not any(source.contains(stream.encode("utf-16-le")) for stream in ("Workbook", "Book")):
            return NOT_A_WORKBOOK
    return DAMAGED
