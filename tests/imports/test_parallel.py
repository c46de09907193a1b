"""Cleaning in a worker process: an import with workers commits exactly what one without them
commits, rows come back in file order with their cells, a dying worker loses no row, and a
small file starts no process.

Each spawned worker costs a few tenths of a second (a fresh interpreter importing the cleaners),
so the file starts only five.
"""

import logging
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import ClassVar

import pytest

from imports import jobs, parallel
from imports.extraction import ExtractionContext, extract_row
from imports.models import ImportIssue
from imports.pipeline import run_pipeline
from imports.reading import SourceRow
from tests.actors import uploader
from tests.imports.conftest import csv_text, make_mapping, upload
from tests.imports.test_pipeline import COLUMNS, HEADER, database_state, generated_rows

CLIENTPORT = [sys.executable, "-m", "clientport"]
# Set by the test settings or by `make test-postgres`; the import runs on its own database.
TEST_ONLY_VARIABLES = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "CLIENTPORT_TEST_DB", "MEDIA_ROOT")


class SpyPool(ProcessPoolExecutor):
    """The real pool, remembering its futures: proves the workers did clean batches (a test
    that passes because everything quietly ran in one process would prove nothing)."""

    futures: ClassVar[list] = []

    def submit(self, fn, /, *args, **kwargs):
        future = super().submit(fn, *args, **kwargs)
        SpyPool.futures.append(future)
        return future

    @classmethod
    def cleaned_by_workers(cls) -> int:
        return sum(1 for f in cls.futures if f.done() and not f.cancelled() and f.exception() is None)


@pytest.fixture
def spy_pool(monkeypatch):
    SpyPool.futures = []
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", SpyPool)
    return SpyPool


def source_batches(count: int, size: int, *, seed: int = 0) -> list[list[SourceRow]]:
    rows = generated_rows(count, seed=seed)[1:]
    sources = [SourceRow(number=i + 1, cells=list(cells), extra=[]) for i, cells in enumerate(rows)]
    return [sources[i:i + size] for i in range(0, len(sources), size)]


def extraction_context() -> ExtractionContext:
    return ExtractionContext(mapping=make_mapping(COLUMNS), headers=HEADER)


def issues(job) -> list[tuple]:
    return list(ImportIssue.objects.filter(job=job).order_by("row_number", "severity", "code", "column").values_list(
        "row_number", "severity", "code", "column", "value", "message", "cells"))


@pytest.mark.django_db
def test_an_import_with_a_cleaning_worker_commits_what_one_without_commits(
    firm, owner, other_firm, other_owner, spy_pool
):
    rows = generated_rows(120)  # six batches of 20
    for number in range(5, 121, 17):  # rows naming nobody, skipped, in most batches
        rows[number] = ["", "", "", "bad@", f"555-01{number:02}", "VIP", "", ""]

    reference = upload(other_firm, other_owner, rows, mapping=make_mapping(COLUMNS))
    jobs.job_start(reference, actor=uploader(reference), enqueue=False)
    in_one_process = run_pipeline(reference, dry_run=False, batch_size=20, cleaning_processes=0)
    assert spy_pool.futures == []

    job = upload(firm, owner, rows, mapping=make_mapping(COLUMNS))
    predicted = run_pipeline(job, dry_run=True, batch_size=20, cleaning_processes=1)
    jobs.job_start(job, actor=uploader(job), enqueue=False)
    with_worker = run_pipeline(job, dry_run=False, batch_size=20, cleaning_processes=1)
    # Two runs, each cleaning its first batch here and the five others in the worker.
    assert spy_pool.cleaned_by_workers() == 10

    assert with_worker.counters.as_dict() == in_one_process.counters.as_dict()
    assert predicted.counters.as_dict() == in_one_process.counters.as_dict()
    assert with_worker.skipped.as_dict() == in_one_process.skipped.as_dict()
    assert with_worker.warnings.as_dict() == in_one_process.warnings.as_dict()
    # The skipped rows and warnings as stored, with the original cells of each skipped row.
    reference_issues = issues(reference)
    assert {severity for _, severity, *_ in reference_issues} == {"skip", "warning"}
    assert all(cells for _, severity, *_, cells in reference_issues if severity == "skip")
    assert issues(job) == reference_issues
    assert database_state(firm) == database_state(other_firm)


def test_worker_cleaned_batches_come_back_in_file_order_with_their_cells(spy_pool):
    context = extraction_context()
    batches = source_batches(100, 10)  # ten batches: several wait in the worker's queue

    results = list(parallel.clean_batches(iter(batches), context, processes=1))

    assert spy_pool.cleaned_by_workers() == 9  # all but the first, cleaned here while the worker starts
    assert [batch for batch, _ in results] == batches
    for batch, clean_rows in results:
        assert [row.number for row in clean_rows] == [source.number for source in batch]
        assert [row.cells for row in clean_rows] == [source.cells for source in batch]
        assert clean_rows == [extract_row(source, context) for source in batch]


class KillsTheWorkerThatReadsIt(str):
    """A cell the parent cleans like any other, but whose unpickling ends the process doing it:
    the worker dies on receiving the batch that holds it. (Rebuilt with stdlib only, since a
    spawned worker cannot import this Django test module; in the parent it is harmless.)"""

    def __reduce__(self):
        rebuild = (
            "__import__('os')._exit(1) if __import__('multiprocessing').parent_process() is not None "
            f"else {str(self)!r}"
        )
        return eval, (rebuild,)


def test_when_the_worker_dies_every_batch_is_still_cleaned_in_the_main_process(spy_pool, caplog):
    context = extraction_context()
    batches = source_batches(60, 10)
    expected = [[extract_row(source, context) for source in batch] for batch in batches]
    poison(batches[1])  # the worker dies on the first batch it receives

    with caplog.at_level(logging.WARNING, logger="imports.parallel"):
        results = list(parallel.clean_batches(iter(batches), context, processes=1))

    assert spy_pool.futures and spy_pool.cleaned_by_workers() == 0
    assert [batch for batch, _ in results] == batches
    assert [clean for _, clean in results] == expected
    assert worker_warnings(caplog) == ["A cleaning worker stopped; the import goes on in one process."]


def test_when_the_worker_dies_while_the_main_process_writes_no_batch_is_lost(spy_pool, caplog):
    context = extraction_context()
    batches = source_batches(60, 10)
    expected = [[extract_row(source, context) for source in batch] for batch in batches]
    poison(batches[2])  # the worker cleans batch 2, then dies on receiving batch 3

    results = []
    with caplog.at_level(logging.WARNING, logger="imports.parallel"):
        for batch, clean_rows in parallel.clean_batches(iter(batches), context, processes=1):
            if not results:
                # Planning and writing batch 1 outlasts the worker: wait until it has died.
                spy_pool.futures[1].exception(timeout=60)
            results.append((batch, clean_rows))

    assert spy_pool.cleaned_by_workers() == 1  # batch 2, before the worker died
    assert [batch for batch, _ in results] == batches
    assert [clean for _, clean in results] == expected
    assert worker_warnings(caplog) == ["A cleaning worker stopped; the import goes on in one process."]


def poison(batch: list[SourceRow]) -> None:
    batch[0].cells[1] = KillsTheWorkerThatReadsIt(batch[0].cells[1])


def worker_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "imports.parallel"]


@pytest.mark.parametrize("batch_count, processes", [(1, 1), (3, 0)], ids=["one batch", "no workers asked"])
def test_no_process_starts_for_a_single_batch_or_without_workers(monkeypatch, batch_count, processes):
    def no_pool(*args, **kwargs):
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    context = extraction_context()
    batches = source_batches(10 * batch_count, 10)
    assert len(batches) == batch_count

    results = list(parallel.clean_batches(iter(batches), context, processes=processes))

    assert [batch for batch, _ in results] == batches
    assert [clean for _, clean in results] == [[extract_row(s, context) for s in batch] for batch in batches]
    assert list(parallel.clean_batches(iter([]), context, processes=1)) == []


def descendants(pid: int) -> set[int]:
    """Live processes below `pid` (through /proc; zombies do not count)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_killing_an_import_leaves_no_cleaning_worker_behind(tmp_path):
    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES}
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CLIENTPORT_VAR_DIR=str(tmp_path / "var"),
               IMPORT_CLEANING_PROCESSES="2")
    subprocess.run([*CLIENTPORT, "demo"], env=env, check=True, capture_output=True, timeout=180)
    clients = tmp_path / "clients.csv"
    clients.write_text(csv_text(generated_rows(60_000)), encoding="utf-8")
    importing = subprocess.Popen(
        [*CLIENTPORT, "import", str(clients), "--firm", "demo", "--user", "owner@demo.example"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    left: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2 and importing.poll() is None and time.monotonic() < deadline:
            workers = {pid for pid in descendants(importing.pid)
                       if b"spawn_main" in (Path("/proc") / str(pid) / "cmdline").read_bytes()}
            time.sleep(0.05)
        assert len(workers) == 2, "the import started no cleaning workers"
        left = descendants(importing.pid)
        importing.kill()  # SIGKILL: no finally, no atexit, no pool shutdown
        importing.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in left) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in left if alive(pid)], "processes outlived the killed import"
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()
        for pid in left:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
