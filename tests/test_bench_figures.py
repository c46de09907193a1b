"""The benchmark's figures (bench/worker.py): a spawned cleaning worker's peak memory is its own,
not the memory of the import process it was started from; a measurement counts the CPU of its
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

MEASURE_MEMORY = """
import json, multiprocessing, time
from bench.worker import ChildPeaks

def hold(megabytes, seconds):
    block = bytearray(megabytes * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page: resident, not just reserved
    time.sleep(seconds)

if __name__ == "__main__":
    parent_block = bytearray(200 * 1024 * 1024)
    parent_block[::4096] = b"x" * len(parent_block[::4096])
    peaks = ChildPeaks()
    child = multiprocessing.get_context("spawn").Process(target=hold, args=(30, 0.5))
    child.start()
    child.join()
    print(json.dumps(peaks.stop()))
"""

MEASURE_CPU = """
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


def _measure(tmp_path, source: str):
    """Runs a measuring script in a process of its own (the test runner has children of its
    own: a browser's driver) and returns the JSON it prints last."""
    script = tmp_path / "measure.py"
    script.write_text(source)
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_spawned_childs_peak_is_its_own_not_its_parents(tmp_path):
    peak = _measure(tmp_path, MEASURE_MEMORY)
    assert 30 <= peak < 100, peak  # an interpreter plus its 30 MB; the parent holds over 200 MB


def test_a_measurement_counts_the_cpu_of_the_workers_it_started(tmp_path):
    used = _measure(tmp_path, MEASURE_CPU)
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
