"""A set of 64-bit integers at 8 bytes each, for the import's memory of a file.

A Python set of a million hashes holds a million int objects: ~60 MB. The importer remembers
several such sets (accounts, emails and names seen), which put the dry run of a
1,000,000-row file over its 300 MB budget. Here new members collect in a small set and are
flushed into sorted `array('q')` runs whose sizes double, like a binary counter; a lookup
bisects each run (about log2(n) of them).
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left

BUFFER_SIZE = 4096


def _member(run: array, value: int) -> bool:
    index = bisect_left(run, value)
    return index < len(run) and run[index] == value


class CompactIntSet:
    __slots__ = ("_buffer", "_runs", "_size")

    def __init__(self):
        self._buffer: set[int] = set()
        self._runs: list[array] = []  # sorted, distinct, largest first
        self._size = 0

    def __contains__(self, value: int) -> bool:
        if value in self._buffer:
            return True
        return any(_member(run, value) for run in self._runs)

    def add(self, value: int) -> None:
        if value in self:
            return
        self._buffer.add(value)
        self._size += 1
        if len(self._buffer) >= BUFFER_SIZE:
            self._flush()

    def update(self, values) -> None:
        for value in values:
            self.add(value)

    def __len__(self) -> int:
        return self._size

    def _flush(self) -> None:
        run = array("q", sorted(self._buffer))
        self._buffer.clear()
        # Merge while the newest run is at least as large as the one before it, so there are
        # never more than log2(n / BUFFER_SIZE) runs.
        while self._runs and len(self._runs[-1]) <= len(run):
            run = array("q", heapq.merge(self._runs.pop(), run))
        self._runs.append(run)
