"""`open_table`: any upload as a `Table` of headers and streamed rows.

Opening reads only what the guesses need: the first 64 KB to tell the format, encoding and
delimiter, a whole-file pass to be sure of UTF-8 (or of the encoding the user chose), and the
first ~1,000 records to find the header row and the columns in use. `Table.rows()` then streams
the file from the start each time it is called.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import closing
from itertools import islice
from typing import BinaryIO

from . import layout
from .delimited import read_records, sniff_delimiter
from .encoding import canonical, check_encoding, detect_encoding
from .formats import refuse_markup, sniff_format
from .iif import iif_header_row, iif_records, looks_like_iif
from .source import Source
from .spreadsheet import Workbook
from .types import ReadOptions, SourceRow, TableInfo, UnreadableFile

RecordsFactory = Callable[[], Iterator[layout.Record]]

logger = logging.getLogger(__name__)

CANNOT_OPEN = (
    "This file is damaged or in a form this reader does not know, so it cannot be opened; open it "
    "in Excel or LibreOffice and save it again as XLSX or CSV."
)


class Table:
    """A file read as a table: `info` says what was read and how, `rows()` streams the data.

    `footer` holds the report footer lines found by the last complete pass of `rows()`.
    """

    def __init__(
        self,
        info: TableInfo,
        records: RecordsFactory,
        *,
        keep_footer: bool,
        detect_footer: bool = True,
        on_close: Callable[[], None] | None = None,
    ):
        self.info = info
        self.footer: list[str] = []
        self._records = records
        self._keep_footer = keep_footer
        self._detect_footer = detect_footer
        self._on_close = on_close
        self._closed = False

    def rows(self) -> Iterator[SourceRow]:
        """The data rows, streamed from the start of the file on every call.

        Blank rows are skipped; report footer lines are left out (see `footer`) unless the
        options said `keep_footer`.
        """
        if self._closed:
            raise ValueError("This table is closed.")
        return self._rows()

    def _rows(self) -> Iterator[SourceRow]:
        footer: list[str] = []
        records = self._records()
        try:
            yield from layout.shape_rows(
                records,
                self.info.header_row,
                len(self.info.headers),
                footer=footer,
                keep_footer=self._keep_footer,
                detect_footer=self._detect_footer,
                titles=self.info.preamble,
            )
        finally:
            records.close()  # type: ignore[attr-defined]
        self.footer = footer

    def preview(self, n: int = 5) -> list[SourceRow]:
        """The first `n` data rows (a fresh pass; the file is released right after)."""
        rows = self.rows()
        try:
            return list(islice(rows, n))
        finally:
            rows.close()  # type: ignore[attr-defined]

    def close(self) -> None:
        """Release the workbook; a caller's file object stays open (the caller owns it)."""
        if not self._closed:
            self._closed = True
            if self._on_close:
                self._on_close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Table {self.info.format} {len(self.info.headers)} columns>"


def open_table(
    source: str | os.PathLike | BinaryIO, options: ReadOptions | None = None, *, name: str = ""
) -> Table:
    """Open an upload (a path or a seekable binary file) as a `Table`.

    The content decides the format; `name` (the original file name) only breaks a tie the content
    leaves open (a one-column ".tsv" reports a tab delimiter). Raises `UnreadableFile` with one
    sentence for the firm owner when the file cannot be read as a table at all.

    For IIF files the delimiter and header row are fixed by the format (tab, the `!CUST` line);
    for workbooks the encoding and delimiter options do not apply.
    """
    options = options or ReadOptions()
    if options.header_row is not None and options.header_row < 1:
        raise ValueError("header_row counts from 1")
    src = Source(source)
    try:
        return _open(src, options, name)
    except UnreadableFile:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # BaseException: python-calamine reports a Rust panic as one
        # A crafted or damaged file must never become a traceback: the readers' own refusals
        # cover what real files do, and anything else is this one sentence (and a log line).
        logger.warning("Unexpected error while opening %r", name or src.path, exc_info=True)
        raise UnreadableFile(CANNOT_OPEN) from exc


def sniff_upload(source: str | os.PathLike | BinaryIO, options: ReadOptions | None = None) -> str:
    """What `open_table` checks before it reads the file proper, reading only a bounded prefix
    (and a workbook's ZIP directory): size, format, a workbook's unpacked size, a text file's
    first line. Returns the format ("csv" for text) or raises `UnreadableFile`; an upload passes
    this in the request and is read whole later, in the worker."""
    options = options or ReadOptions()
    src = Source(source)
    try:
        file_format = _sniff(src, options)
    except UnreadableFile:
        raise
    except Exception as exc:
        logger.warning("Unexpected error while sniffing an upload", exc_info=True)
        raise UnreadableFile(CANNOT_OPEN) from exc
    return "csv" if file_format == "text" else file_format


def _sniff(src: Source, options: ReadOptions) -> str:
    if src.size == 0:
        raise UnreadableFile("This file is empty.")
    if src.size > options.max_bytes:
        raise UnreadableFile(f"This file is larger than the {_megabytes(options.max_bytes)} MB limit.")
    file_format = sniff_format(src, max_unpacked_bytes=options.max_unpacked_bytes)
    if file_format == "text" and src.first_line_length(options.max_line_chars) > options.max_line_chars:
        raise UnreadableFile(line_too_long(options.max_line_chars, which="Its first line"))
    return file_format


def _open(src: Source, options: ReadOptions, name: str) -> Table:
    file_format = _sniff(src, options)
    if options.known is not None and _still_known(options.known, file_format):
        return _open_known(src, options.known, options)
    if file_format == "text":
        return _open_text(src, options, name)
    return _open_workbook(src, file_format, options)


def _still_known(known: TableInfo, file_format: str) -> bool:
    """The stored detection fits this file (the same kind of file, fully described)."""
    text = known.format in ("csv", "iif")
    return (file_format == "text") == text and bool(known.headers) and (
        (known.encoding and known.delimiter) if text else known.sheet is not None)


def _open_known(src: Source, known: TableInfo, options: ReadOptions) -> Table:
    """The file as an earlier opening read it: its stored encoding, delimiter, sheet, header
    row and headers, none detected again. Rows stream as they always do."""
    info = TableInfo(**{**known.__dict__, "headers": list(known.headers), "detected": dict(known.detected)})
    if known.format in ("csv", "iif"):
        def lines() -> Iterator[str]:
            return _text_lines(src, known.encoding, options.max_line_chars)

        if known.format == "iif":
            def records() -> Iterator[layout.Record]:
                return _closing_records(iif_records, lines())

            return Table(info, records, keep_footer=options.keep_footer, detect_footer=False)

        def records() -> Iterator[layout.Record]:
            return _closing_records(read_records, lines(), known.delimiter)

        return Table(info, records, keep_footer=options.keep_footer)
    book = Workbook(src, known.format)
    if known.sheet not in book.sheets:
        book.close()
        raise UnreadableFile(f'This workbook has no sheet named "{known.sheet}".')

    def sheet_records() -> Iterator[layout.Record]:
        return _bounded_rows(book.records(known.sheet), options.max_line_chars)

    return Table(info, sheet_records, keep_footer=options.keep_footer, on_close=book.close)


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):,.1f}".removesuffix(".0")


# --- text: CSV, TSV, IIF ----------------------------------------------------------------------


def _open_text(src: Source, options: ReadOptions, name: str) -> Table:
    detected_encoding = detect_encoding(src)
    encoding = detected_encoding
    if options.encoding:
        encoding = canonical(options.encoding)
        if encoding == "utf-8" and src.head().startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"  # the BOM is not part of the first header
        check_encoding(src, encoding, options.encoding)
    head_text = _decode_head(src.head(), encoding)
    refuse_markup(head_text[:4096])

    def lines() -> Iterator[str]:
        return _text_lines(src, encoding, options.max_line_chars)

    if looks_like_iif(head_text):
        return _open_iif(lines, encoding, detected_encoding, options)

    detected_delimiter = sniff_delimiter(head_text, name)
    delimiter = options.delimiter or detected_delimiter
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise UnreadableFile(
            f"The delimiter {delimiter!r} cannot be used; choose one character such as , ; | or tab."
        )

    def records() -> Iterator[layout.Record]:
        return _closing_records(read_records, lines(), delimiter)

    info = _layout(
        records,
        options,
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        detected={"encoding": detected_encoding, "delimiter": detected_delimiter, "sheet": None},
        empty_message="This file contains only blank lines.",
    )
    return Table(info, records, keep_footer=options.keep_footer)


def _open_iif(
    lines: Callable[[], Iterator[str]], encoding: str, detected_encoding: str, options: ReadOptions
) -> Table:
    def records() -> Iterator[layout.Record]:
        return _closing_records(iif_records, lines())

    with closing(records()) as first:
        header_row = iif_header_row(first)
    detected = {"encoding": detected_encoding, "delimiter": "\t", "header_row": header_row, "sheet": None}
    with closing(records()) as sample:
        sample_records = list(islice(sample, layout.WIDTH_SCAN_RECORDS))
    headers = layout.make_headers(sample_records[0][1], layout.data_width(sample_records, header_row))
    info = TableInfo(
        format="iif", encoding=encoding, delimiter="\t", header_row=header_row, sheet=None, sheets=[],
        headers=headers, preamble=[], detected=detected,
    )
    return Table(info, records, keep_footer=options.keep_footer, detect_footer=False)


def _text_lines(src: Source, encoding: str, max_chars: int) -> Iterator[str]:
    """Decoded physical lines with their line endings (\\n, \\r\\n or a lone \\r), streamed.

    A line longer than `max_chars` stops the reading with `UnreadableFile` once its first
    `max_chars` characters are read: the rest of it is never held in memory.
    """
    with io.TextIOWrapper(src.open(), encoding=encoding, errors="replace", newline="") as text:
        # +2: a line of exactly max_chars keeps its "\r\n" in one piece.
        while line := text.readline(max_chars + 2):
            if len(line) > max_chars and len(line.rstrip("\r\n")) > max_chars:
                raise UnreadableFile(line_too_long(max_chars))
            yield line


def line_too_long(max_chars: int, *, which: str = "A line of this file") -> str:
    return (f"{which} is longer than {max_chars:,} characters, which no client list has, so the file "
            "was not read further; check that it is the right file, saved as CSV or Excel.")


def _decode_head(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)


def _closing_records(reader, lines: Iterator[str], *args) -> Iterator[layout.Record]:
    """Records whose underlying file is closed as soon as the consumer stops."""
    try:
        yield from reader(lines, *args)
    finally:
        lines.close()  # type: ignore[attr-defined]


# --- spreadsheets -----------------------------------------------------------------------------


def _open_workbook(src: Source, file_format: str, options: ReadOptions) -> Table:
    book = Workbook(src, file_format)
    try:
        detected_sheet = book.default_sheet()
        sheet = detected_sheet
        if options.sheet is not None:
            if options.sheet not in book.sheets:
                raise UnreadableFile(f'This workbook has no sheet named "{options.sheet}".')
            sheet = options.sheet
        if not book.has_data(sheet):
            if options.sheet is None:
                raise UnreadableFile("This workbook has no data in any sheet.")
            raise UnreadableFile(f'The sheet "{sheet}" is empty.')

        def records() -> Iterator[layout.Record]:
            return _bounded_rows(book.records(sheet), options.max_line_chars)

        info = _layout(
            records,
            options,
            file_format=file_format,
            encoding=None,
            delimiter=None,
            detected={"encoding": None, "delimiter": None, "sheet": detected_sheet},
            empty_message=f'The sheet "{sheet}" is empty.',
            sheet=sheet,
            sheets=book.sheets,
        )
    except BaseException:
        book.close()
        raise
    return Table(info, records, keep_footer=options.keep_footer, on_close=book.close)


def _bounded_rows(records: Iterator[layout.Record], max_chars: int) -> Iterator[layout.Record]:
    """A sheet's rows, refused like a text line when one row's cells together pass `max_chars`."""
    try:
        for record in records:
            if sum(map(len, record[1])) > max_chars:
                raise UnreadableFile(line_too_long(max_chars, which="A row of this sheet"))
            yield record
    finally:
        records.close()  # type: ignore[attr-defined]


# --- shared -----------------------------------------------------------------------------------


def _layout(
    records: RecordsFactory,
    options: ReadOptions,
    *,
    file_format: str,
    encoding: str | None,
    delimiter: str | None,
    detected: dict,
    empty_message: str,
    sheet: str | None = None,
    sheets: list[str] | None = None,
) -> TableInfo:
    """Find the header row (or take the user's), the preamble above it and the headers."""
    with closing(records()) as stream:
        sample: list[layout.Record] = []
        filled = 0
        for record in stream:  # the first 50 records that are not blank (blank ones kept for numbers)
            sample.append(record)
            filled += bool(record[2]) or not layout.is_blank(record[1])
            if filled >= layout.HEADER_SCAN_RECORDS:
                break
        if not filled:
            raise UnreadableFile(empty_message)
        detected_header = layout.find_header_row(sample)
        header_row = options.header_row or detected_header
        # Read on to the header (when the user put it lower) and ~1,000 records below it.
        for record in stream:
            sample.append(record)
            if record[0] >= header_row + layout.WIDTH_SCAN_RECORDS:
                break
    by_number = {number: cells for number, cells, _error in sample}
    if header_row not in by_number:
        last = sample[-1][0]
        raise UnreadableFile(f"Row {header_row} cannot be the header row: the file has only {last} rows.")
    headers = layout.make_headers(by_number[header_row], layout.data_width(sample, header_row))
    return TableInfo(
        format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        sheet=sheet,
        sheets=list(sheets or []),
        headers=headers,
        preamble=layout.preamble_of(sample, header_row),
        detected={
            "encoding": detected["encoding"],
            "delimiter": detected["delimiter"],
            "header_row": detected_header,
            "sheet": detected["sheet"],
        },
    )
