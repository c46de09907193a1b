"""The benchmark's CPU figures (bench/worker.py `CpuTime`): a measurement counts the work of its
cleaning workers and, on PostgreSQL, of the server process it writes through, so the bench can
tell how much of an import's time is work and how much is waiting."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bench.worker import CpuTime

ROOT = Path(__file__).resolve().parent.parent

# Run in a process of its own: the test runner has children of its own (a browser's driver).
MEASURE = """
import json, multiprocessing, time
from bench.worker import CpuTime

def burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass

if __name__ == "__main__":
    cpu = CpuTime()
    child = multiprocessing.get_context("spawn").Process(target=burn, args=(0.6,))
    child.start()
    child.join()
    print(json.dumps(cpu.stop()))
"""


def test_a_measurement_counts_the_cpu_of_the_workers_it_started(tmp_path):
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    used = json.loads(done.stdout.strip().splitlines()[-1])
    assert used["cpu_s_workers"] >= 0.5, used
    assert used["cpu_s_main"] < used["cpu_s_workers"], used  # the parent only waited
    assert used["cpu_s"] == pytest.approx(used["cpu_s_main"] + used["cpu_s_workers"], abs=0.02)
    assert "cpu_s_database" not in used  # SQLite: the database's work is the process's own


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server process")
def test_on_postgresql_the_server_process_of_the_connection_is_counted():
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    cpu = CpuTime(backend)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 5000000)")
    used = cpu.stop(backend)
    assert used["cpu_s_database"] >= 0.1, used
    assert used["cpu_s"] >= used["cpu_s_database"]
    # Another server process at the end (the connection was replaced): unknown, not half counted.
    assert CpuTime(backend).stop(backend + 1)["cpu_s_database"] is None
