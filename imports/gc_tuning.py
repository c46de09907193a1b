"""Garbage-collector settings for the processes that run an import.

Kept free of Django so the cleaning workers can use it without loading it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Collect the youngest generation after 20,000 new objects instead of 700: a batch makes tens of
# thousands of short-lived objects that reference counting frees anyway.
BULK_GC_THRESHOLD = (20_000, 20, 20)


def tune_gc_for_bulk() -> None:
    """For a process that does nothing but bulk work (a cleaning worker); see `quiet_gc`."""
    gc.freeze()
    gc.set_threshold(*BULK_GC_THRESHOLD)


_lock = threading.Lock()
_active = 0  # runs inside quiet_gc (a web process may check two files at once, in two threads)
_saved_threshold: tuple[int, ...] = ()


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Fewer, cheaper cyclic-GC passes while an import runs.

    An import allocates millions of short-lived objects, and every collection of the oldest
    generation walks all the objects Django and the libraries keep alive (profiled: a quarter
    of the main process's time on a 100,000-row import). What exists before the run is
    frozen (left out of collections) and collections come less often. The settings are
    process-wide: the first run to start changes them, the last one to end restores them.
    """
    global _active, _saved_threshold
    with _lock:
        if _active == 0:
            _saved_threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*BULK_GC_THRESHOLD)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                gc.set_threshold(*_saved_threshold)
                gc.unfreeze()
