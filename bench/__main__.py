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
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.generate import write

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def measure(what: str, path: Path, *, dry_run: bool = False, extra: tuple[str, ...] = ()) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="clientport-bench-"))
    try:
        command = [sys.executable, "-m", "bench.worker", what, str(path), "--db", str(workdir / "bench.sqlite3"),
                   *extra]
        if dry_run:
            command.append("--dry-run")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


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
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement for files under 1M rows")
    parser.add_argument("--duplicates-only", action="store_true",
                        help="measure only the dry run against existing accounts, with and without the pass")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results_file = OUT / "results.json"
    # Sizes measured earlier stay in the file, so `--sizes 100000` does not forget the 1M run.
    report = {}
    if results_file.exists():
        report = {int(size): results for size, results in json.loads(results_file.read_text()).items()}
    for size in args.sizes:
        path = OUT / f"clients-{size}.csv"
        if not path.exists():
            print(f"generating {path.name} ...", flush=True)
            write(path, size)
        repeat = args.repeat if size < 1_000_000 else 1
        results = dict(report.get(size, {})) if args.duplicates_only else {}
        last_counts: dict = {}
        last_run_seconds = 0.0
        plan = [] if args.duplicates_only else [
            ("ceiling", "ceiling", False, ()), ("dry run", "import", True, ()), ("import", "import", False, ("--undo",))]
        if size < 1_000_000:
            seeded = existing_database(size)
            plan += [("dry run, existing, no duplicates pass", "import", True, ("--existing", str(seeded),
                                                                           "--no-duplicates")),
                     ("dry run, existing", "import", True, ("--existing", str(seeded)))]
        for label, what, dry, extra in plan:
            runs = []
            for attempt in range(repeat):
                run = measure(what, path, dry_run=dry, extra=extra)
                print(f"  {size:>9,} rows  {label:<8} run {attempt + 1}: {run['rows'] / run['seconds']:>8,.0f} rows/s  "
                      f"peak {run['peak_mb']:.0f} MB (main {run['peak_mb_main']:.0f} + worker "
                      f"{run['peak_mb_workers']:.0f})", flush=True)
                if "undo_seconds" in run:
                    print(f"  {size:>9,} rows  undo     run {attempt + 1}: {run['undo_seconds']:>8.1f} s "
                          f"(the import: {run['seconds']:.1f} s)", flush=True)
                runs.append(run)
                last_counts, last_run_seconds = run.get("counts", {}), run["seconds"]
            results[label] = summarise(runs)
            if label == "import":
                undo_seconds = statistics.median(run["undo_seconds"] for run in runs)
                results["undo"] = {"rows": runs[0]["rows"], "runs": len(runs), "seconds": round(undo_seconds, 2),
                                   "rows_per_s": round(runs[0]["rows"] / undo_seconds),
                                   "share_of_import": round(undo_seconds / results["import"]["seconds"], 2)}
        ceiling = results["ceiling"]["rows_per_s"] if "ceiling" in results else None
        for label in ("dry run", "import"):
            if ceiling and label in results:
                results[label]["share_of_ceiling"] = round(results[label]["rows_per_s"] / ceiling, 2)
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
    print("| rows | measurement | rows/s (median) | seconds (median) | share of ceiling | peak memory MB |")
    print("|---:|---|---:|---:|---:|---:|")
    for size, results in sorted(report.items()):
        for label, result in results.items():
            share = f"{result['share_of_ceiling']:.0%}" if "share_of_ceiling" in result else (
                f"pass: {result['duplicates_cost']:.2f}x" if "duplicates_cost" in result else "—")
            if "share_of_import" in result:
                share = f"{result['share_of_import']:.0%} of the import's time"
            peak = f"{result['peak_mb']:.0f}" if "peak_mb" in result else "—"
            print(f"| {size:,} | {label} | {result['rows_per_s']:,} | {result['seconds']} | {share} | {peak} |")
    print("\npeak memory: the import process plus its largest cleaning worker (separately in results.json)")
    print(f"written to {results_file}")


if __name__ == "__main__":
    main(sys.argv[1:])
