"""A set of 64-bit integers at 8 bytes each (and a map at 16), for the import's memory of a file.

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


MAP_BUFFER_SIZE = 65_536  # larger runs than the set's: fewer merges, which cost more here


class CompactIntMap:
    """64-bit integer keys to 64-bit integer values at 16 bytes an entry, where a dict of a
    million ints takes ~100 MB. Built like CompactIntSet; a key is in one place only (`setdefault`
    keeps the first value, item assignment replaces it where it is), so runs never hold a key twice."""

    __slots__ = ("_buffer", "_runs")

    def __init__(self):
        self._buffer: dict[int, int] = {}
        self._runs: list[tuple[array, array]] = []  # (sorted keys, their values), largest first

    def get(self, key: int, default: int | None = None) -> int | None:
        value = self._buffer.get(key)
        if value is not None:
            return value
        for keys, values in self._runs:
            index = bisect_left(keys, key)
            if index < len(keys) and keys[index] == key:
                return values[index]
        return default

    def setdefault(self, key: int, value: int) -> int:
        found = self.get(key)
        if found is not None:
            return found
        self._buffer[key] = value
        if len(self._buffer) >= MAP_BUFFER_SIZE:
            self._flush()
        return value

    def __setitem__(self, key: int, value: int) -> None:
        """Replaces the value in place where the key is already in a run."""
        for keys, values in self._runs:
            index = bisect_left(keys, key)
            if index < len(keys) and keys[index] == key:
                values[index] = value
                return
        self._buffer[key] = value
        if len(self._buffer) >= MAP_BUFFER_SIZE:
            self._flush()

    def __len__(self) -> int:
        return len(self._buffer) + sum(len(keys) for keys, _ in self._runs)

    def _flush(self) -> None:
        keys = array("q", sorted(self._buffer))
        values = array("q", map(self._buffer.__getitem__, keys))
        self._buffer.clear()
        while self._runs and len(self._runs[-1][0]) <= len(keys):
            older_keys, older_values = self._runs.pop()
            keys, values = _merge_pairs(older_keys, older_values, keys, values)
        self._runs.append((keys, values))


def _merge_pairs(keys_a: array, values_a: array, keys_b: array, values_b: array) -> tuple[array, array]:
    keys, values = array("q"), array("q")
    for key, value in heapq.merge(zip(keys_a, values_a), zip(keys_b, values_b)):
        keys.append(key)
        values.append(value)
    return keys, values
