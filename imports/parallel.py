"""Row cleaning in a worker process, overlapped with planning and writing.

Cleaning (email-validator, phonenumbers, nameparser, dates) is the most expensive pure stage of
an import, and it needs nothing from the database: an `ExtractionContext` is built once per
import and is picklable. So while the main process plans and writes batch N, a worker process
cleans batches N+1 and N+2. Results come back in file order, so an import with workers commits
exactly what one without them commits (the planner, which decides, stays single-threaded).

A small file (one batch) never starts a process. If a worker dies (out of memory, killed), the
batches it held are cleaned in the main process and the import carries on without workers. If
the import process dies, its workers exit too (`_exit_with_parent`).

Workers are started with "spawn" (a fresh interpreter that imports only what cleaning needs; it
does not inherit the parent's database connections). As always with multiprocessing, a script
that runs an import must keep its top-level code under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain
from typing import TYPE_CHECKING

from imports.extraction import CleanRow, ExtractionContext, extract_row
from imports.gc_tuning import tune_gc_for_bulk

if TYPE_CHECKING:  # the package imports every reader (clevercsv too): a cleaning worker needs none
    from imports.reading import SourceRow

logger = logging.getLogger(__name__)

BATCHES_AHEAD_PER_PROCESS = 2  # how far cleaning may run ahead of writing: bounds memory

_context: ExtractionContext | None = None  # the worker's copy, set once by _start_worker


def _start_worker(context: ExtractionContext) -> None:
    global _context
    _context = context
    tune_gc_for_bulk()
    _exit_with_parent()


def _exit_with_parent() -> None:
    """Ends this worker as soon as the import process is gone (kill -9, out of memory): the
    pool's workers would otherwise wait on their task queue forever, since they hold its write
    end themselves. multiprocessing's parent sentinel, a pipe whose other end only the parent
    holds, becomes readable when the parent dies."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _clean_in_worker(batch: list[SourceRow]) -> list[CleanRow]:
    rows = [extract_row(source, _context) for source in batch]
    for row in rows:
        row.cells = None  # the main process still holds them: do not send them back
    return rows


def _clean_here(batch: list[SourceRow], context: ExtractionContext) -> list[CleanRow]:
    return [extract_row(source, context) for source in batch]


def clean_batches(
    batches: Iterable[list[SourceRow]], context: ExtractionContext, *, processes: int
) -> Iterator[tuple[list[SourceRow], list[CleanRow]]]:
    """Yields (source rows, clean rows) for each batch, in order.

    With `processes` > 0 and more than one batch, batches are cleaned by that many worker
    processes while the caller works on earlier ones.
    """
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if processes < 1 or second is None:
        for batch in chain([first] if second is None else [first, second], batches):
            yield batch, _clean_here(batch, context)
        return

    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
        max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(context,),
    )
    upcoming = chain([second], batches)
    pending: deque[tuple[list[SourceRow], Future | None]] = deque()

    def submit_ahead() -> None:
        while pool is not None and len(pending) < processes * BATCHES_AHEAD_PER_PROCESS:
            batch = next(upcoming, None)
            if batch is None:
                return
            try:
                future = pool.submit(_clean_in_worker, batch)
            except BrokenProcessPool:  # a worker died while the caller was busy
                future = None
            pending.append((batch, future))

    try:
        submit_ahead()
        # The first batch is cleaned here while the worker starts up.
        yield first, _clean_here(first, context)
        while pending:
            batch, future = pending.popleft()
            rows = _collect(batch, future) if pool is not None and future is not None else None
            if rows is None:
                if pool is not None:
                    logger.warning("A cleaning worker stopped; the import goes on in one process.")
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = None
                rows = _clean_here(batch, context)
            submit_ahead()
            yield batch, rows
        for batch in upcoming:  # only left when the workers stopped
            yield batch, _clean_here(batch, context)
    finally:
        if pool is not None:
            # Batches not started are dropped; one being cleaned is waited for (a second at
            # most), so the worker is gone when the import returns.
            pool.shutdown(wait=True, cancel_futures=True)


def _collect(batch: list[SourceRow], future: Future) -> list[CleanRow] | None:
    """The worker's clean rows with their cells put back; None when the worker died."""
    try:
        rows = future.result()
    except BrokenProcessPool:
        return None
    for row, source in zip(rows, batch):
        row.cells = source.cells
    return rows
