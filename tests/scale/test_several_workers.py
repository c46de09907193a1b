"""Several workers, one database (issue 15, part 3): `make test-scale`.

On a throwaway PostgreSQL (scripts/with-postgres), a fresh database, 2 web processes (gunicorn,
as `clientport serve` runs it) and 3 `clientport worker` processes. Through the JSON API,
alternating between the two web processes, at once: 20 imports across 5 firms (generated files
of 10k-50k rows, overlapping in content), and two imports into a sixth firm that share half their
rows. Halfway through the 50k import, the worker running it is killed with SIGKILL (with its
cleaning process: the machine is gone). Then:

- every job finished, the killed one taken over by another worker through the workers' own sweep
  (no person, no cron), and no live job taken over (each claimed once);
- no duplicate contact (same email) or account (same key) in any firm;
- `rows_total == rows_imported + rows_skipped` for every job;
- each firm's accounts, contacts and links equal those of the same files imported one after the
  other (the `import` command, in one process per firm) into a second fresh database: the named
  clients, the links to them and the contacts with an email, one each. The clients made for rows
  without an account name may differ (see the comparison below).

`SCALE_SIZE` (default 1) multiplies every file's rows. Timings are printed, never asserted.
"""

from __future__ import annotations

import collections
import csv
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.generate import HEADER, rows
from crm.normalize import normalize_name_key

pytestmark = pytest.mark.scale

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SIZE = float(os.environ.get("SCALE_SIZE", "1"))
# Short enough that the takeover happens within the suite, long enough for a batch on a busy
# 2-core machine (the suite prints the longest silence it saw of a live job).
HEARTBEAT_TIMEOUT = 30
SWEEP_EVERY = 5
WORKERS = 3
KILL_AT = 0.5  # of the big file's rows
FINISH_WITHIN = 600
# Variables of the test run that must not reach the servers (they would run the test settings).
TEST_ONLY = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "CLIENTPORT_TEST_DB", "MEDIA_ROOT")


@dataclass(frozen=True)
class ImportFile:
    firm: str
    path: Path
    rows: int


def n(count: int) -> int:
    return max(100, int(count * SIZE))


def write_file(path: Path, seed: int, start: int, stop: int) -> Path:
    """Rows start..stop of bench/generate.py's list for `seed`: two slices of one seed that
    overlap hold the same clients."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(itertools.islice(rows(stop, seed), start, stop))
    return path


def files_to_import(folder: Path) -> tuple[ImportFile, list[ImportFile], list[ImportFile]]:
    """(the big file that gets its worker killed, the other 19 of the 5 firms, firm f5's pair)."""
    def make(firm, name, seed, start, stop):
        return ImportFile(firm, write_file(folder / f"{firm}-{name}.csv", seed, start, stop), stop - start)

    big = make("f0", "big", 200, 0, n(50_000))
    others = []
    for index in range(5):
        firm = f"f{index}"
        others.append(make(firm, "a", index, 0, n(10_000)))
        others.append(make(firm, "b", index, n(5_000), n(15_000)))  # half of "a" again
        others.append(make(firm, "c", 100 + index, 0, n(10_000)))
        if index in (1, 2):
            others.append(make(firm, "d", 100 + index, 0, n(20_000)))  # all of "c" and more
        elif index != 0:
            others.append(make(firm, "d", 300 + index, 0, n(10_000)))
    pair = [make("f5", "x", 5, 0, n(10_000)), make("f5", "y", 5, n(5_000), n(15_000))]
    return big, others, pair


# --- Processes ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY}
    env.update(
        DATABASE_URL=database_url, CLIENTPORT_VAR_DIR=str(var_dir), SECRET_KEY="scale-suite-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="0", API_RATE_LIMIT="1000/s",
        IMPORT_HEARTBEAT_TIMEOUT_SECONDS=str(HEARTBEAT_TIMEOUT), IMPORT_SWEEP_SECONDS=str(SWEEP_EVERY),
    )
    return env


def clientport(*args: str, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run([PYTHON, "-m", "clientport", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"clientport {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


class Processes:
    def __init__(self, log_dir: Path):
        self.log_dir, self.running = log_dir, {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("w")
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.running[name] = process
        return process

    def kill_group(self, name: str) -> None:
        os.killpg(self.running[name].pid, signal.SIGKILL)
        self.running[name].wait()

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing answers on port {port}")


# --- The database, read directly ---------------------------------------------------------------

class Database:
    def __init__(self, url: str):
        import psycopg

        self.url = url
        self.connection = psycopg.connect(url, autocommit=True)

    def rows(self, sql: str, params=()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def jobs(self) -> dict[int, dict]:
        found = self.rows("SELECT id, status, rows_done, run_token, counts, original_name, error, "
                          "EXTRACT(EPOCH FROM now() - heartbeat_at) FROM imports_importjob")
        keys = ("status", "rows_done", "run_token", "counts", "name", "error", "silent_for")
        return {row[0]: dict(zip(keys, row[1:])) for row in found}

    def worker_of(self, job_id: int) -> str | None:
        found = self.rows("SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
                          "AND task_path LIKE %s AND args_kwargs->'args'->>0 = %s",
                          ["%run_import_job", str(job_id)])
        return found[0][0][-1] if found else None

    def firm_records(self) -> dict[str, dict[str, collections.Counter]]:
        """Per firm: its accounts' keys, its contacts and its links, each as a multiset."""
        records = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
        for slug, key in self.rows("SELECT f.slug, a.name_key FROM crm_account a JOIN crm_firm f ON f.id = a.firm_id"):
            records[slug]["accounts"][key] += 1
        for slug, *contact in self.rows("SELECT f.slug, c.email_key, c.first_name, c.last_name "
                                        "FROM crm_contact c JOIN crm_firm f ON f.id = c.firm_id"):
            records[slug]["contacts"][tuple(contact)] += 1
        for slug, *link in self.rows(
                "SELECT f.slug, a.name_key, c.email_key, c.first_name, c.last_name FROM crm_accountcontact l "
                "JOIN crm_account a ON a.id = l.account_id JOIN crm_contact c ON c.id = l.contact_id "
                "JOIN crm_firm f ON f.id = a.firm_id"):
            records[slug]["links"][tuple(link)] += 1
        return records

    def duplicate_emails(self) -> list[tuple]:
        return self.rows("SELECT firm_id, email_key, COUNT(*) FROM crm_contact WHERE email_key IS NOT NULL "
                         "GROUP BY firm_id, email_key HAVING COUNT(*) > 1")


def create_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(admin_url)._replace(path="/" + name))


# --- The JSON API ------------------------------------------------------------------------------

def api(base: str, token: str, method: str, path: str, body: bytes | None = None, content_type: str = "") -> dict:
    request = urllib.request.Request(f"{base}/api/v1{path}", data=body, method=method,
                                     headers={"Authorization": f"Bearer {token}",
                                              **({"Content-Type": content_type} if content_type else {})})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def upload_and_start(base: str, token: str, item: ImportFile) -> int:
    query = urllib.parse.urlencode({"name": item.path.name, "kind": "accounts-and-contacts"})
    created = api(base, token, "POST", f"/imports/raw?{query}", item.path.read_bytes(), "text/csv")
    # A file over 1 MB is read by a worker first (status "validating"), as in the wizard.
    deadline = time.monotonic() + FINISH_WITHIN
    while created["status"] == "validating" and time.monotonic() < deadline:
        time.sleep(0.5)
        created = api(base, token, "GET", f"/imports/{created['id']}")
    assert created["status"] == "draft", created
    api(base, token, "POST", f"/imports/{created['id']}/start")
    return created["id"]


# --- The suite ---------------------------------------------------------------------------------

@pytest.fixture
def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the scale suite needs PostgreSQL: run it with `make test-scale`")
    return url


def test_twenty_two_imports_on_three_workers_with_one_killed(postgres_url, tmp_path):
    timings = {}
    started = time.monotonic()
    big, others, pair = files_to_import(tmp_path)
    timings["generate files"] = time.monotonic() - started

    live_url = create_database(postgres_url, f"scale_{os.getpid()}")
    reference_url = create_database(postgres_url, f"scale_reference_{os.getpid()}")
    env = server_env(live_url, tmp_path / "var")
    reference_env = {**server_env(reference_url, tmp_path / "reference-var"), "IMPORT_CLEANING_PROCESSES": "0"}
    slugs = [f"f{index}" for index in range(6)]
    step = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda database_env: clientport("migrate", "--no-input", env=database_env), (env, reference_env)))
    tokens = json.loads(subprocess.run([PYTHON, "-m", "tests.scale.firms", *slugs], env=env, cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    subprocess.run([PYTHON, "-m", "tests.scale.firms", *slugs], env=reference_env, cwd=ROOT, check=True,
                   capture_output=True)
    timings["migrate two databases"] = time.monotonic() - step

    processes = Processes(tmp_path)
    db = Database(live_url)
    try:
        ports = [free_port(), free_port()]
        for index, port in enumerate(ports):
            processes.start(f"web{index}", [PYTHON, "-m", "gunicorn", "clientport.wsgi:application", "--bind",
                                             f"127.0.0.1:{port}", "--worker-class", "gthread", "--workers", "1",
                                             "--threads", "4", "--timeout", "300", "--no-control-socket"], env)
        for index in range(WORKERS):
            processes.start(f"w{index}", [PYTHON, "-m", "clientport", "worker", "--no-reload", "--queue-name=*",
                                          f"--worker-id=w{index}"], env)
        for port in ports:
            wait_for_port(port)
        bases = itertools.cycle(f"http://127.0.0.1:{port}" for port in ports)

        # (a) and (b) at once: the big file first, so it runs while the others queue behind it.
        step = time.monotonic()
        big_id = upload_and_start(next(bases), tokens[big.firm], big)
        # The others are uploaded and started in the background while this thread watches the
        # big import, so it is caught halfway however fast the machine is.
        uploads = [(item, next(bases), tokens[item.firm]) for item in others]
        uploads += [(item, next(bases), tokens["f5"]) for item in pair]
        pool = ThreadPoolExecutor(4)
        started_uploads = [pool.submit(upload_and_start, base, token, item) for item, base, token in uploads]
        pool.shutdown(wait=False)

        # (c) Halfway through the big file, its worker (and its cleaning process) dies.
        killed_worker, longest_live_silence, big_done_after_kill = None, 0.0, None
        deadline = time.monotonic() + FINISH_WITHIN
        while time.monotonic() < deadline:
            current = db.jobs()
            for job_id, job in current.items():
                if job["status"] == "running" and job["silent_for"] is not None and job_id != big_id:
                    longest_live_silence = max(longest_live_silence, float(job["silent_for"]))
            big_job = current[big_id]
            if killed_worker is None:
                assert big_job["status"] in ("queued", "running"), f"the big import ended before the kill: {big_job}"
                if big_job["status"] == "running" and big_job["rows_done"] >= KILL_AT * big.rows:
                    killed_worker = db.worker_of(big_id)
                    assert killed_worker, "no worker holds the running big import"
                    processes.kill_group(killed_worker)
                    killed_at, rows_at_kill = time.monotonic(), big_job["rows_done"]
                    print(f"\nkilled worker {killed_worker} at row {rows_at_kill:,} of import #{big_id}")
            elif big_done_after_kill is None and big_job["status"] == "finished":
                big_done_after_kill = time.monotonic() - killed_at
            if (killed_worker is not None and all(future.done() for future in started_uploads)
                    and all(job["status"] in ("finished", "failed", "cancelled") for job in current.values())):
                break
            time.sleep(0.2)
        timings["all imports done"] = time.monotonic() - step
        job_files = {big_id: big, **{future.result(): item for future, (item, _, _) in zip(started_uploads, uploads)}}
        final = db.jobs()
    finally:
        processes.stop_all()
    logs = {name: processes.log(name) for name in processes.running}

    assert killed_worker is not None, "the big import never reached its halfway point"
    unfinished = {job_id: (job["status"], job["error"]) for job_id, job in final.items() if job["status"] != "finished"}
    assert not unfinished, f"{unfinished}\n{logs}"
    # Taken over by a live worker through the sweep: re-queued (token 2), claimed again (3).
    assert final[big_id]["run_token"] == 3
    survivors = [name for name in logs if name.startswith("w") and name != killed_worker]
    assert any(f"Import #{big_id} " in logs[name] and "queued to resume" in logs[name] for name in survivors)
    # No live job was taken from its worker.
    assert {job_id: job["run_token"] for job_id, job in final.items() if job_id != big_id} == {
        job_id: 1 for job_id in final if job_id != big_id}
    for job_id, job in final.items():
        counts = job["counts"]
        assert counts["rows_total"] == counts["rows_imported"] + counts["rows_skipped"], (job_id, counts)
        assert counts["rows_total"] == job_files[job_id].rows, (job_id, counts)
    assert db.duplicate_emails() == []

    # The same files, one after the other per firm (the firms side by side: they share nothing).
    step = time.monotonic()
    by_firm = collections.defaultdict(list)
    for job_id in sorted(job_files):
        by_firm[job_files[job_id].firm].append(job_files[job_id])

    def import_one_after_the_other(firm: str) -> None:
        subprocess.run([PYTHON, "-m", "tests.scale.sequential", firm, *(str(item.path) for item in by_firm[firm])],
                       env=reference_env, cwd=ROOT, check=True, capture_output=True, timeout=FINISH_WITHIN)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(import_one_after_the_other, sorted(by_firm)))
    timings["the same files one after the other"] = time.monotonic() - step

    concurrent, sequential = db.firm_records(), Database(reference_url).firm_records()
    # Key-based records are the same whatever the order: the named clients (every named account
    # of these files carries a client number), the links to them, and the contacts with an
    # email, one each. The clients made for rows without an account name are not: such a row
    # joins the client that holds its email, or the namesake seen first, *if it exists by then*,
    # and imports of one firm take turns batch by batch, an order no one-after-the-other run
    # repeats. So a client named after its person, with its link, may be there in one run and
    # not in the other (docs/import-rules.md, "Workers", known gap); the suite counts them.
    person_made_splits = 0
    for firm in slugs:
        runs = (concurrent[firm], sequential[firm])
        named_after_person = {account for run in runs for account, _, first, last in run["links"]
                              if account == normalize_name_key(f"{first} {last}")}
        for kind in ("accounts", "contacts", "links"):
            differing = {key for key in concurrent[firm][kind].keys() | sequential[firm][kind].keys()
                         if concurrent[firm][kind][key] != sequential[firm][kind][key]}
            if kind == "accounts":
                outside = {key for key in differing if key not in named_after_person}
                person_made_splits += sum(abs(concurrent[firm][kind][key] - sequential[firm][kind][key])
                                          for key in differing - outside)
            elif kind == "links":
                outside = {key for key in differing if key[0] not in named_after_person}
            else:  # an email-less contact may go with a client made for it
                outside = {key for key in differing
                           if key[0] or normalize_name_key(f"{key[1]} {key[2]}") not in named_after_person}
            assert not outside, (firm, kind, [(key, concurrent[firm][kind][key], sequential[firm][kind][key])
                                              for key in sorted(outside, key=repr)[:5]])
        # Every contact with an email is linked to a client in both runs.
        for run in runs:
            linked = {email for _, email, _, _ in run["links"] if email}
            assert {email for email, _, _ in run["contacts"] if email} <= linked, firm

    rows_imported = sum(job_files[job_id].rows for job_id in final)
    print(f"\n{len(final)} imports, {rows_imported:,} rows, {WORKERS} workers; the killed import finished "
          f"{big_done_after_kill or 0:,.0f} s after the kill (sweep every {SWEEP_EVERY} s, "
          f"silence {HEARTBEAT_TIMEOUT} s); longest silence of a live job's heartbeat: {longest_live_silence:.1f} s; "
          f"clients named after their person made otherwise than one after the other: {person_made_splits}")
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:,.1f} s")
    print(f"  load average: {Path('/proc/loadavg').read_text().strip()}")
