"""`make bench` (python -m bench): import speed and memory, median of repeated runs.

For each size it measures, each in a fresh SQLite database and its own process:
  ceiling   the same file parsed, cleaned with the same validators, written with sqlite3
  dry run   the real pipeline without writes (what the wizard's review step runs)
  import    the real import, exactly as `clientport import` runs it
  undo      the undo of that import, exactly as `clientport undo` runs it (timed apart, after it)
and prints rows/s, peak memory, the import's share of the ceiling and the undo's time next to
the import's. For files under 1M rows it
also measures the dry run against as many existing accounts (another generated file, imported
once), with and without the likely-duplicates pass, and prints what the pass costs (target:
at most 1.25x).

    python -m bench                       # 100,000 rows x3 and 1,000,000 rows x1
    python -m bench --sizes 100000 --repeat 5
    python -m bench --sizes 100000 --duplicates-only   # just the likely-duplicates measurement
    scripts/with-postgres .venv/bin/python -m bench --database postgres   # the same file on PostgreSQL
    scripts/with-postgres .venv/bin/python -m bench --database both       # what `make bench` runs

On PostgreSQL (`--database postgres`, with DATABASE_URL naming a throwaway cluster's database
as scripts/with-postgres exports it) it measures, each in a fresh database of that cluster:
  postgres ceiling   the same file parsed, cleaned with the same validators, written with COPY
                     (bench/ceiling_postgres.py)
  postgres import    the real import, as `clientport import` runs it
and prints the import's share of that ceiling and its speed against the SQLite import of the
same size (measured in the same run with `--database both`, else the last one recorded). The
runs of all measurements alternate (run 1 of each, then run 2 of each...), so a change of the
machine's load touches them alike.

Every measurement also reports the CPU seconds it used (bench/worker.py `CpuTime`): the
process's, its cleaning workers' and, on PostgreSQL, the server process's of its connection.
Their sum over the machine's cores is the least time any overlap of that work could take, so
the bench prints, next to an import's share of its ceiling, the largest share that much work
allows on this machine ("at most N% with every core busy").
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.generate import write

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def measure(what: str, path: Path, *, dry_run: bool = False, extra: tuple[str, ...] = (),
            postgres: bool = False) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="clientport-bench-"))
    database = _fresh_postgres_database(migrated=what != "ceiling") if postgres else None
    try:
        command = [sys.executable, "-m", "bench.worker", what, str(path), "--db", str(workdir / "bench.sqlite3"),
                   *extra]
        if dry_run:
            command.append("--dry-run")
        if database:
            command += ["--database-url", _postgres_url(database)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if database:
            _postgres_admin(f"DROP DATABASE {database}")


# PostgreSQL: the cluster scripts/with-postgres started (DATABASE_URL); each run gets its own
# database, copied from a template migrated once (migrating takes longer than a small import).
_TEMPLATE = "clientport_bench_template"
_counter = itertools.count(1)


def _postgres_url(database: str) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database postgres needs a PostgreSQL cluster: run it under scripts/with-postgres "
                         "(as `make bench` does).")
    return base.rsplit("/", 1)[0] + "/" + database


def _postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def _fresh_postgres_database(*, migrated: bool) -> str:
    """A new empty database, or a copy of the migrated template (made on first use)."""
    if migrated and not getattr(_fresh_postgres_database, "template_ready", False):
        _postgres_admin(f"DROP DATABASE IF EXISTS {_TEMPLATE}")
        _postgres_admin(f"CREATE DATABASE {_TEMPLATE}")
        workdir = Path(tempfile.mkdtemp(prefix="clientport-bench-"))
        try:
            command = [sys.executable, "-m", "bench.worker", "migrate", "-", "--db", str(workdir / "unused"),
                       "--database-url", _postgres_url(_TEMPLATE)]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"migrating the template failed:\n{done.stderr[-3000:]}")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        _fresh_postgres_database.template_ready = True
    name = f"clientport_bench_{os.getpid()}_{next(_counter)}"
    _postgres_admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {_TEMPLATE}" if migrated else ""))
    return name


def existing_database(size: int) -> Path:
    """A database holding one firm with `size` accounts (another generated file, imported once
    and kept): what the dry run meets as the firm's existing clients."""
    seeded = OUT / f"existing-{size}.sqlite3"
    if not seeded.exists():
        source = OUT / f"existing-{size}.csv"
        if not source.exists():
            write(source, size, seed=7)
        print(f"importing {source.name} as the existing accounts (once) ...", flush=True)
        command = [sys.executable, "-m", "bench.worker", "seed", str(source), "--db", str(seeded)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            seeded.unlink(missing_ok=True)
            raise SystemExit(f"seeding failed:\n{done.stderr[-3000:]}")
    return seeded


def summarise(runs: list[dict]) -> dict:
    rates = [run["rows"] / run["seconds"] for run in runs]
    return {
        "rows": runs[0]["rows"],
        "runs": len(runs),
        "rows_per_s": round(statistics.median(rates)),
        "seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "peak_mb": max(run["peak_mb"] for run in runs),  # the import process + its largest worker
        "peak_mb_main": max(run["peak_mb_main"] for run in runs),
        "peak_mb_workers": max(run["peak_mb_workers"] for run in runs),
        **{name: _median_or_none(run[name] for run in runs)
           for name in ("cpu_s", "cpu_s_main", "cpu_s_workers", "cpu_s_database") if name in runs[0]},
    }


def _median_or_none(values) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 2) if known else None


CORES = len(os.sched_getaffinity(0))


def _cpu_text(run: dict) -> str:
    """ "cpu 61.2 s (main 30.1 + workers 15.4 + database 15.7)" """
    if run.get("cpu_s") is None:
        return ""
    parts = [f"main {run['cpu_s_main']:.1f}", f"workers {run['cpu_s_workers']:.1f}"]
    if "cpu_s_database" in run:
        parts.append("database " + ("?" if run["cpu_s_database"] is None else f"{run['cpu_s_database']:.1f}"))
    return f"  cpu {run['cpu_s']:.1f} s ({' + '.join(parts)})"


def _best_share(result: dict, ceiling: dict) -> float | None:
    """The largest share of the ceiling's rows/s that the import's CPU seconds allow with every
    core busy all the time (`CORES`): rows / (cpu_s / cores) against the ceiling's rows/s.
    None when a share of the CPU is unknown."""
    if not result.get("cpu_s") or ("cpu_s_database" in result and result["cpu_s_database"] is None):
        return None
    return result["rows"] * CORES / result["cpu_s"] / ceiling["rows_per_s"]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement for files under 1M rows")
    parser.add_argument("--duplicates-only", action="store_true",
                        help="measure only the dry run against existing accounts, with and without the pass")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite",
                        help="postgres and both need DATABASE_URL naming a PostgreSQL cluster (scripts/with-postgres)")
    parser.add_argument("--only", nargs="+", metavar="MEASUREMENT",
                        help='just these measurements, e.g. --only import "postgres ceiling" "postgres import"')
    args = parser.parse_args(argv)
    sqlite, postgres = args.database in ("sqlite", "both"), args.database in ("postgres", "both")
    OUT.mkdir(parents=True, exist_ok=True)
    results_file = OUT / "results.json"
    # Measurements not taken this time stay in the file, so `--sizes 100000` does not forget
    # the 1M run, nor `--database postgres` the SQLite figures.
    report = {}
    if results_file.exists():
        report = {int(size): results for size, results in json.loads(results_file.read_text()).items()}
    for size in args.sizes:
        path = OUT / f"clients-{size}.csv"
        if not path.exists():
            print(f"generating {path.name} ...", flush=True)
            write(path, size)
        repeat = args.repeat if size < 1_000_000 else 1
        results = {label: result for label, result in report.get(size, {}).items()
                   if args.duplicates_only or (label.startswith("postgres") and not postgres)
                   or (not label.startswith("postgres") and not sqlite) or (args.only and label not in args.only)}
        last_counts: dict = {}
        last_run_seconds = 0.0
        plan = [] if (args.duplicates_only or not sqlite) else [
            ("ceiling", "ceiling", False, ()), ("dry run", "import", True, ()), ("import", "import", False, ("--undo",))]
        if postgres and not args.duplicates_only:
            plan += [("postgres ceiling", "ceiling", False, ()), ("postgres import", "import", False, ())]
        wanted = set(args.only or ()) or None
        if size < 1_000_000 and sqlite and (wanted is None or {"dry run, existing",
                                                              "dry run, existing, no duplicates pass"} & wanted):
            seeded = existing_database(size)
            plan += [("dry run, existing, no duplicates pass", "import", True, ("--existing", str(seeded),
                                                                           "--no-duplicates")),
                     ("dry run, existing", "import", True, ("--existing", str(seeded)))]
        if wanted:
            plan = [step for step in plan if step[0] in wanted]
        runs_of: dict[str, list[dict]] = {label: [] for label, *_ in plan}
        for attempt in range(repeat):  # run 1 of every measurement, then run 2 of every one...
            for label, what, dry, extra in plan:
                run = measure(what, path, dry_run=dry, extra=extra, postgres=label.startswith("postgres"))
                print(f"  {size:>9,} rows  {label:<8} run {attempt + 1}: {run['rows'] / run['seconds']:>8,.0f} rows/s  "
                      f"peak {run['peak_mb']:.0f} MB (main {run['peak_mb_main']:.0f} + worker "
                      f"{run['peak_mb_workers']:.0f}){_cpu_text(run)}", flush=True)
                if "undo_seconds" in run:
                    print(f"  {size:>9,} rows  undo     run {attempt + 1}: {run['undo_seconds']:>8.1f} s "
                          f"(the import: {run['seconds']:.1f} s)", flush=True)
                runs_of[label].append(run)
                last_counts, last_run_seconds = run.get("counts", {}), run["seconds"]
        for label, runs in runs_of.items():
            results[label] = summarise(runs)
            if label == "import":
                undo_seconds = statistics.median(run["undo_seconds"] for run in runs)
                results.pop("undo", None)  # an earlier run's (kept by --only): this one goes after its import
                results["undo"] = {"rows": runs[0]["rows"], "runs": len(runs), "seconds": round(undo_seconds, 2),
                                   "rows_per_s": round(runs[0]["rows"] / undo_seconds),
                                   "share_of_import": round(undo_seconds / results["import"]["seconds"], 2)}
        if "postgres ceiling" in results and "postgres import" in results:
            results["postgres import"]["share_of_ceiling"] = round(
                results["postgres import"]["rows_per_s"] / results["postgres ceiling"]["rows_per_s"], 2)
            best = _best_share(results["postgres import"], results["postgres ceiling"])
            results["postgres import"]["best_share_of_ceiling"] = None if best is None else round(best, 2)
        if "postgres import" in results and "import" in results:
            ratio = results["postgres import"]["rows_per_s"] / results["import"]["rows_per_s"]
            results["postgres import"]["ratio_to_sqlite_import"] = round(ratio, 2)
            print(f"  postgres import: {results['postgres import'].get('share_of_ceiling', 0):.0%} of the PostgreSQL "
                  f"ceiling, {ratio:.2f}x the SQLite import's rows/s", flush=True)
        ceiling = results["ceiling"]["rows_per_s"] if "ceiling" in results else None
        for label in ("dry run", "import"):
            if ceiling and label in results:
                results[label]["share_of_ceiling"] = round(results[label]["rows_per_s"] / ceiling, 2)
                best = _best_share(results[label], results["ceiling"])
                results[label]["best_share_of_ceiling"] = None if best is None else round(best, 2)
        if "dry run, existing" in results:
            ratio = results["dry run, existing"]["seconds"] / results["dry run, existing, no duplicates pass"]["seconds"]
            results["dry run, existing"]["duplicates_cost"] = round(ratio, 3)
            results["dry run, existing"]["likely_duplicates"] = last_counts.get("likely_duplicates")
            results["dry run, existing"]["duplicate_comparisons"] = last_counts.get("duplicate_comparisons")
            # The pass's own time inside the last run: a second view, immune to the machine's
            # load changing between the runs with and without it.
            own = last_counts.get("duplicate_seconds") or 0
            last_seconds = results["dry run, existing"]["last_seconds"] = last_run_seconds
            inside = last_seconds / max(last_seconds - own, 1e-9)
            results["dry run, existing"]["duplicates_seconds"] = own
            results["dry run, existing"]["duplicates_cost_within_run"] = round(inside, 3)
            print(f"  likely duplicates pass: {ratio:.2f}x the dry run without it (medians); within the last run "
                  f"{own:.1f} s of {last_seconds:.1f} s = {inside:.2f}x ({last_counts.get('likely_duplicates')} "
                  f"pairs, {last_counts.get('duplicate_comparisons')} comparisons)", flush=True)
        report[size] = results
    results_file.write_text(json.dumps(report, indent=2))
    print()
    print("| rows | measurement | rows/s (median) | seconds (median) | share of ceiling | peak memory MB "
          "| CPU s (median) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size, results in sorted(report.items()):
        for label, result in results.items():
            share = f"{result['share_of_ceiling']:.0%}" if "share_of_ceiling" in result else (
                f"pass: {result['duplicates_cost']:.2f}x" if "duplicates_cost" in result else "—")
            if "share_of_import" in result:
                share = f"{result['share_of_import']:.0%} of the import's time"
            if result.get("best_share_of_ceiling") is not None:
                share += f" (at most {result['best_share_of_ceiling']:.0%} with every core busy)"
            if "ratio_to_sqlite_import" in result:
                share += f"; {result['ratio_to_sqlite_import']:.2f}x SQLite's import"
            peak = f"{result['peak_mb']:.0f}" if "peak_mb" in result else "—"
            cpu = f"{result['cpu_s']:.1f}" if result.get("cpu_s") is not None else "—"
            print(f"| {size:,} | {label} | {result['rows_per_s']:,} | {result['seconds']} | {share} | {peak} | {cpu} |")
    print("\npeak memory: the import process plus its largest cleaning worker (separately in results.json)")
    print(f"CPU s: the process, its cleaning workers and, on PostgreSQL, its connection's server process; "
          f"{CORES} cores here")
    print(f"written to {results_file}")


if __name__ == "__main__":
    main(sys.argv[1:])
