"""CSV/TSV: guess the delimiter, then read records with the stdlib `csv` module.

clevercsv only *detects* the delimiter (on a 64 KB sample, limited to , ; tab | so a list of
emails is not "delimited" by "@"); the rows themselves go through `csv.reader`, which is several
times faster. The quote character is always `"` with doubled quotes, as every spreadsheet and CRM
export writes it, and there is no escape character: a backslash in "C:\\Clients" stays a backslash.

Broken quoting. A field that opens a quote and never closes it swallows every following line
into one giant cell; left alone, one stray `"` in row 12 loses the rest of the file. Each record
is therefore read from a feed that remembers the physical lines it consumed. A record is judged
runaway when it spans more than MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters, when the
file ends inside it, or when it spans several lines and is not well formed (a quote closing
before more text, as when two stray quotes pair up across the rows between them; only records
with a quoted newline pay for that check). Its *first* line is then yielded alone as an error
record (the cells that line holds, best effort, and a sentence saying why), and reading restarts
at its second line with a fresh parser, so every later row is read normally. The swallowed lines
are parsed twice; a file whose every line opened a quote would be parsed ~MAX_RECORD_LINES
times over, which no real export does. Not caught: two stray quotes that pair up into a
well-formed field (`Ann,"open` ... `Carl,closed"`) make the rows between one cell.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator

from clevercsv import Detector

DELIMITERS = [",", ";", "\t", "|"]
SNIFF_CHARS = 64 * 1024
MAX_RECORD_LINES = 1000
MAX_RECORD_CHARS = 100_000

UNCLOSED_QUOTE = (
    'This row has a quote (") that is never closed, so its cells could not be told apart; '
    "fix the quoting in the file and import this row again."
)

TOO_LONG = (
    f"This row is longer than {MAX_RECORD_CHARS:,} characters, so it could not be read reliably; "
    "shorten it and import it again."
)

Record = tuple[int, list[str], str]  # (record number, cells, error)

_SEP_LINE = re.compile(r'"?sep=([,;\t|])"?[ \t]*(?:\r\n|\r|\n)', re.IGNORECASE)


class Dialect(csv.Dialect):
    delimiter = ","
    quotechar = '"'
    doublequote = True
    escapechar = None
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


def make_dialect(delimiter: str) -> type[csv.Dialect]:
    return type("FileDialect", (Dialect,), {"delimiter": delimiter})


def sniff_delimiter(sample: str, name: str = "") -> str:
    """The delimiter of the file; for a one-column file (nothing to split) "," or, for a file
    named .tsv/.tab, a tab. Excel's `sep=;` first line, when present, says it outright."""
    hint = _SEP_LINE.match(sample.lstrip("\ufeff"))
    if hint:
        return hint.group(1)
    sample = sample[:SNIFF_CHARS]
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    if cut > 0 and len(sample) == SNIFF_CHARS:
        sample = sample[:cut]  # a half row at the end of the sample only adds noise
    try:
        dialect = Detector().detect(sample.replace("\x00", ""), delimiters=DELIMITERS)
    except Exception:  # a guess that fails falls back to the default, it never refuses the file
        dialect = None
    if dialect is None or dialect.delimiter not in DELIMITERS:
        return "\t" if name.lower().endswith((".tsv", ".tab")) else ","
    return dialect.delimiter


class _RunawayRecord(Exception):
    pass


class _Feed:
    """Hands physical lines to csv.reader and keeps the lines of the record being read.

    `pending` is emptied by the caller each time a record is complete.
    """

    def __init__(self, replay: deque[str], lines: Iterator[str]):
        self.replay = replay
        self.lines = lines
        self.pending: list[str] = []
        self.ended_inside_record = False

    def __iter__(self) -> Iterator[str]:
        pending = self.pending
        replay = self.replay
        size = 0
        while replay:
            line = replay.popleft()
            if not pending:
                size = 0
            pending.append(line)
            size += len(line)
            if len(pending) > MAX_RECORD_LINES or size > MAX_RECORD_CHARS:
                raise _RunawayRecord
            yield line
        for line in self.lines:
            if not pending:
                size = 0
            pending.append(line)
            size += len(line)
            if len(pending) > MAX_RECORD_LINES or size > MAX_RECORD_CHARS:
                raise _RunawayRecord
            yield line
        if pending:
            self.ended_inside_record = True


def read_records(lines: Iterable[str], delimiter: str) -> Iterator[Record]:
    """Every record of the text, blank ones included, numbered from 1; see the module docstring."""
    dialect = make_dialect(delimiter)
    checker = _QuotingCheck(dialect)
    stream = iter(lines)
    replay: deque[str] = deque()
    number = 0
    while True:
        feed = _Feed(replay, stream)
        pending = feed.pending
        try:
            for cells in csv.reader(feed, dialect):
                if feed.ended_inside_record or (len(pending) > 1 and not checker.well_formed(pending)):
                    break
                number += 1
                pending.clear()
                yield number, cells, ""
            else:
                return
        except (_RunawayRecord, csv.Error):
            if not pending:  # nothing consumed, nothing to recover: a bug, not a file problem
                raise
        bad = pending[0]
        replay = deque(pending[1:])
        replay.extend(feed.replay)
        number += 1
        error = TOO_LONG if len(pending) == 1 and len(bad) > MAX_RECORD_CHARS else UNCLOSED_QUOTE
        yield number, _cells_of_line(bad, dialect), error


class _QuotingCheck:
    """Whether a multi-line record is quoted properly, by parsing it again in strict mode.

    A quote closing before more text (`Carl,"open again`) means two stray quotes paired up
    across the rows between them. One strict reader is kept and fed the record's lines, because
    creating a reader per record cost as much as parsing the file.
    """

    def __init__(self, dialect: type[csv.Dialect]):
        self._lines: deque[str] = deque()
        self._reader = csv.reader(self, type("StrictDialect", (dialect,), {"strict": True}))

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._lines:
            return self._lines.popleft()
        raise StopIteration

    def well_formed(self, lines: list[str]) -> bool:
        self._lines.extend(lines)
        try:
            next(self._reader)
        except csv.Error:
            return False
        finally:
            self._lines.clear()
        return True


def _cells_of_line(line: str, dialect: type[csv.Dialect]) -> list[str]:
    """The cells one physical line holds on its own (an open quote runs to the end of the line)."""
    try:
        return next(csv.reader([line], dialect), [])
    except csv.Error:
        return [line.rstrip("\r\n")]
