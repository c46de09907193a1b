"""One measured run, in its own process so its peak memory is its own:

    python -m bench.worker import FILE --db DB.sqlite3 [--dry-run | --undo]
    python -m bench.worker import FILE --db DB.sqlite3 --dry-run --existing SEEDED.sqlite3 [--no-duplicates]
    python -m bench.worker seed FILE --db SEEDED.sqlite3
    python -m bench.worker ceiling FILE --db DB.sqlite3
    python -m bench.worker import FILE --db WORKDIR/unused --database-url postgres://…/fresh_database
    python -m bench.worker migrate - --db WORKDIR/unused --database-url postgres://…/template_database

`seed` imports FILE into a new database (unmeasured); `--existing` runs against a copy of it,
so the dry run meets the firm's existing accounts; `--no-duplicates` leaves out the likely
duplicates pass, to measure what it costs; `--undo` undoes the import afterwards (as `clientport
undo` does), timed apart: `undo_seconds` is added, the peaks are the import's.

Prints one JSON line: rows, seconds, and peak resident memory: peak_mb_main (this process),
peak_mb_workers (the largest child process: the import's cleaning worker, its own peak as
`ChildPeaks` samples it) and peak_mb, their sum, which is what the import needs while both run.
And the CPU seconds the measured part used (`CpuTime`): cpu_s_main, cpu_s_workers, on PostgreSQL
cpu_s_database (the server process of the connection it wrote through), and cpu_s, their sum.

With `--database-url` the run uses that (empty or freshly migrated) PostgreSQL database instead
of the SQLite file; its files go next to `--db`. `migrate` only applies the migrations (the
bench migrates a template database once and copies it for each run).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path


class ChildPeaks:
    """The largest peak resident memory of this process's children, read from each child's own
    VmHWM every 50 ms while it runs.

    Not RUSAGE_CHILDREN's ru_maxrss: Linux starts a child's figure from the peak of the address
    space it replaced at exec, which for a spawned cleaning worker is the import process's own
    (spawn forks, then execs a fresh interpreter). So a worker that never held more than ~45 MB
    reported the ~100 MB its parent had when it started, and the import's peak counted that part
    of the parent twice. VmHWM is the peak of the child's own address space."""

    INTERVAL = 0.05

    def __init__(self):
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="child-peaks", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            self.sample()

    def sample(self) -> None:
        for pid in _children():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    if cmdline.read() in (_OWN_CMDLINE, b""):
                        continue  # forked, not yet (or just now) exec'd: its figures are still this process's
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                            break
            except (OSError, ValueError):  # it exited meanwhile
                continue

    def stop(self) -> float:
        """Stops sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


with open("/proc/self/cmdline", "rb") as _cmdline:
    _OWN_CMDLINE = _cmdline.read()


class CpuTime:
    """CPU seconds a measurement uses, from now until `stop`: this process's, its children's
    (the cleaning workers, counted once they have exited, as the import's end waits for them)
    and, given the PostgreSQL server process of the connection it writes through, that
    process's (read from /proc: the bench's cluster runs on this machine).

    Wall time alone cannot tell working from waiting. The sum says how much work a run is: on a
    machine of N cores no overlap of the three can finish it in less than sum / N seconds."""

    def __init__(self, backend_pid: int | None = None):
        self._backend_pid = backend_pid
        self._start = (_own_cpu(resource.RUSAGE_SELF), _own_cpu(resource.RUSAGE_CHILDREN), _process_cpu(backend_pid))

    def stop(self, backend_pid: int | None = None) -> dict:
        """The seconds used since the start. `backend_pid`: the server process at the end; if it
        is not the one at the start (the connection was replaced), the database's share is
        unknown (None) rather than half counted."""
        main, workers, database = (_own_cpu(resource.RUSAGE_SELF), _own_cpu(resource.RUSAGE_CHILDREN),
                                   _process_cpu(self._backend_pid))
        used = {"cpu_s_main": main - self._start[0], "cpu_s_workers": workers - self._start[1]}
        if self._backend_pid is not None:
            same = backend_pid == self._backend_pid and database is not None and self._start[2] is not None
            used["cpu_s_database"] = database - self._start[2] if same else None
        used["cpu_s"] = sum(seconds for seconds in used.values() if seconds is not None)
        return {name: None if seconds is None else round(seconds, 2) for name, seconds in used.items()}


def _own_cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


_TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of another process (utime and stime of /proc/PID/stat), or
    None when it cannot be read (gone, or not on this machine)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # after "pid (command)"
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # fields 14 and 15 of proc(5)


def _django_backend_pid() -> int | None:
    """The PostgreSQL server process of Django's connection (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def _children() -> set[int]:
    pids = set()
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        try:
            with open(f"/proc/{os.getpid()}/task/{task}/children") as children:
                pids.update(int(pid) for pid in children.read().split())
        except OSError:
            continue
    return pids


def _peaks(children: ChildPeaks | None = None) -> dict:
    """Peak resident memory of this process and of its largest child (`children`), in MB."""
    deadline = time.monotonic() + 30
    # The import joins its workers as it ends: sample until any still exiting is gone.
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.02)
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    workers = children.stop() if children is not None else 0.0
    return {"peak_mb": round(main + workers, 1), "peak_mb_main": round(main, 1), "peak_mb_workers": round(workers, 1)}


def _setup(db: Path, database_url: str | None) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientport.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["DEBUG"] = "0"  # DEBUG records every query: not what production runs
    os.environ["CLIENTPORT_VAR_DIR"] = str(db.parent / "var")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_import(path: Path, db: Path, dry_run: bool, *, existing: Path | None = None,
               duplicates: bool = True, undo: bool = False, database_url: str | None = None) -> dict:
    if existing is not None:
        shutil.copyfile(existing, db)
    _setup(db, database_url)
    from django.core.files import File

    from crm import services
    from crm.models import User
    from crm.permissions import actor_for
    from imports import jobs

    from crm.models import Firm

    firm = Firm.objects.filter(slug="bench").first()
    if firm is not None:  # a seeded database
        user = User.objects.get(email="bench@example.com")
    else:
        user = User.objects.create_user(email="bench@example.com", password="bench-password")
        firm = services.firm_create(name="Bench Tax", slug="bench", owner=user)
        services.custom_field_create(firm=firm, applies_to="account", name="Fiscal Year End", field_type="date")
    children = ChildPeaks()
    with path.open("rb") as handle:
        job = jobs.job_create(actor=actor_for(firm, user), file=File(handle, name=path.name), original_name=path.name)
    cpu = CpuTime(_django_backend_pid())
    started = time.perf_counter()
    if dry_run:
        result = jobs.job_dry_run(job, find_duplicates=duplicates)
        counts = result.counters.as_dict()
        if result.duplicates is not None:
            counts["likely_duplicates"] = result.duplicates.total
            counts["duplicate_comparisons"] = result.duplicates.comparisons
            counts["duplicate_seconds"] = result.duplicates.seconds
    else:
        jobs.job_start(job, actor=actor_for(firm, user), enqueue=False)
        job = jobs.job_run(job.pk)
        if job.status != "finished":
            raise SystemExit(f"import {job.status}: {job.error}")
        counts = job.counts
    seconds = time.perf_counter() - started
    peaks = _peaks(children)  # waits for the cleaning workers to exit, so their CPU is counted
    result = {"rows": counts["rows_total"], "seconds": round(seconds, 3), **peaks,
              **cpu.stop(_django_backend_pid()), "counts": counts}
    if undo:
        result.update(_undo(job, actor_for(firm, user)))
    return result


def _undo(job, actor) -> dict:
    from crm.models import Account, Contact
    from imports import undo

    started = time.perf_counter()
    if not undo.undo_request(job, actor=actor, enqueue=False):
        raise SystemExit(f"undo refused: {undo.undo_refusal(job)}")
    done = undo.run_undo(job.pk)
    seconds = time.perf_counter() - started
    left = Account.objects.filter(created_by_import=job).exists() or Contact.objects.filter(
        created_by_import=job).exists()
    if done.status != "done" or left:
        raise SystemExit(f"undo {done.status}: {done.error}")
    return {"undo_seconds": round(seconds, 3), "undo_counts": done.counts}


def run_ceiling(path: Path, db: Path, database_url: str | None = None) -> dict:
    from bench import ceiling, ceiling_postgres

    started = time.perf_counter()
    if database_url:
        rows, cpu = ceiling_postgres.run(path, database_url, measure=CpuTime)
    else:
        cpu = CpuTime()
        rows = ceiling.run(path, db)
        cpu = cpu.stop()
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 3), **_peaks(), **cpu}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["import", "ceiling", "seed", "migrate"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--existing", type=Path, help="a seeded database to run against (a copy of it)")
    parser.add_argument("--no-duplicates", action="store_true")
    parser.add_argument("--undo", action="store_true", help="undo the import afterwards, timed apart")
    parser.add_argument("--database-url", help="a PostgreSQL database to run in instead of the SQLite file")
    args = parser.parse_args(argv)
    if args.what == "migrate":
        _setup(args.db, args.database_url)
        result = {}
    elif args.what == "ceiling":
        result = run_ceiling(args.file, args.db, args.database_url)
    elif args.what == "seed":
        args.db.parent.mkdir(parents=True, exist_ok=True)
        result = run_import(args.file, args.db, dry_run=False)
    else:
        result = run_import(args.file, args.db, args.dry_run, existing=args.existing,
                            duplicates=not args.no_duplicates, undo=args.undo, database_url=args.database_url)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
