"""The column profile: what each column of a file holds, read once at upload.

`profile_columns` streams the data rows once (all of them, up to `PROFILE_MAX_ROWS`) and
keeps, per column, how many rows fill it, the first few distinct values, a sample spread over
the whole column (for the type guess), the date order and the number format its own values
prove, and whether its dates carry times. `jobs.job_detect` stores the result on the job
(`read_info["columns"]`); the wizard shows it and the run reads dates and numbers by it, so no
page and no run guesses again from the first rows.

Pure: no database. Memory is bounded by the number of columns, not the file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from imports.cleaning import has_time, looks_like_tax_id, mask_tax_id
from imports.extraction import DateOrderTally, NumberFormatTally
from imports.matching import guess_field_type
from imports.reading import SourceRow

# Reading the whole of a very large file at upload would hold the upload request for seconds;
# this many rows (measured in the README) is a large sample and, for most client lists, all.
PROFILE_MAX_ROWS = 50_000
SHOWN_SAMPLES = 5  # distinct values kept to show in the field table
TYPE_SAMPLE = 200  # values kept, spread over the column, for the type guess
SAMPLE_CHARS = 200  # a kept value longer than this is cut: samples describe, they do not store


@dataclass
class ColumnProfile:
    filled: int = 0  # rows with a value in this column
    samples: list[str] = field(default_factory=list)  # the first distinct values, tax IDs masked
    field_type: str = "text"  # `guess_field_type` over the spread sample
    date_order: str | None = None  # "DMY" / "MDY" when the column's dates prove it
    times: bool = False  # some of its dates carry a time other than midnight
    number_format: str | None = None  # "comma" / "point" when its numbers prove it
    values: list[str] = field(default_factory=list, repr=False)  # the spread sample (not stored)

    def as_dict(self) -> dict:
        return {"filled": self.filled, "samples": self.samples, "field_type": self.field_type,
                "date_order": self.date_order, "times": self.times, "number_format": self.number_format}

    @classmethod
    def from_dict(cls, data: dict) -> ColumnProfile:
        known = {name: data[name] for name in ("filled", "samples", "field_type", "date_order", "times",
                                                "number_format") if name in data}
        return cls(**known)


@dataclass
class FileProfile:
    columns: list[ColumnProfile]
    rows_read: int  # data rows read
    complete: bool  # False: the file has more rows than were read

    def as_dict(self) -> dict:
        return {"rows_read": self.rows_read, "complete": self.complete,
                "columns": [column.as_dict() for column in self.columns]}


class _ColumnTally:
    __slots__ = ("filled", "samples", "seen", "values", "random", "dates", "numbers", "times", "_weight",
                 "_next_kept")

    def __init__(self, seed: int):
        self.filled = 0
        self.samples: list[str] = []
        self.seen: set[str] = set()
        self.values: list[str] = []
        self.random = random.Random(seed)  # seeded: one file always profiles the same
        self.dates = DateOrderTally()
        self.numbers = NumberFormatTally()
        self.times = False
        self._weight = 1.0
        self._next_kept = 0  # the value (by `filled`) the reservoir keeps next, once full

    def add(self, value: str) -> None:
        self.filled += 1
        value = value[:SAMPLE_CHARS]
        if len(self.samples) < SHOWN_SAMPLES:
            shown = " ".join(value.split())
            if shown not in self.seen:
                self.seen.add(shown)
                self.samples.append(mask_tax_id(shown) if looks_like_tax_id(shown) else shown)
        # Reservoir sampling: every value of the column has the same chance to be kept.
        if len(self.values) < TYPE_SAMPLE:
            self.values.append(value)
            if len(self.values) == TYPE_SAMPLE:
                self._skip()
        elif self.filled == self._next_kept:
            self.values[self.random.randrange(TYPE_SAMPLE)] = value
            self._skip()
        first = value[:1]
        if first.isdigit() or first in "-+($€£":
            self.dates.add(value)
            self.numbers.add(value)
            if not self.times and has_time(value):
                self.times = True

    def _skip(self) -> None:
        """Li's "Algorithm L": draws which later value the full reservoir keeps next, so a
        column of 50,000 values costs a few hundred random draws, not one per value."""
        self._weight *= math.exp(math.log(1.0 - self.random.random()) / TYPE_SAMPLE)
        gap = math.log(1.0 - self.random.random()) / math.log1p(-self._weight) if self._weight < 1.0 else 0.0
        self._next_kept = self.filled + int(gap) + 1

    def profile(self) -> ColumnProfile:
        return ColumnProfile(
            filled=self.filled, samples=self.samples, field_type=guess_field_type(self.values),
            date_order=self.dates.decision(), times=self.times, number_format=self.numbers.decision(),
            values=self.values,
        )


def profile_columns(rows: Iterable[SourceRow], width: int, *, max_rows: int = PROFILE_MAX_ROWS) -> FileProfile:
    """The profile of `width` columns over the first `max_rows` of `rows` (one pass)."""
    tallies = [_ColumnTally(index) for index in range(width)]
    read = 0
    complete = True
    for row in rows:
        if read == max_rows:
            complete = False
            break
        read += 1
        for tally, cell in zip(tallies, row.cells):
            if cell and not cell.isspace():
                tally.add(cell.strip())
    return FileProfile(columns=[tally.profile() for tally in tallies], rows_read=read, complete=complete)


def stored_profiles(read_info: dict) -> list[ColumnProfile] | None:
    """The profile `job_detect` stored, one per header; None for a job detected before profiles."""
    stored = (read_info or {}).get("columns")
    if not isinstance(stored, list) or len(stored) != len(read_info.get("headers", [])):
        return None
    return [ColumnProfile.from_dict(data) for data in stored]
