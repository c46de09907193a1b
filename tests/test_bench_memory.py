"""The benchmark's memory figures (bench/worker.py): a spawned cleaning worker's peak is its own,
not the memory of the import process it was started from."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a process of its own: the test runner has children of its own (a browser's driver).
MEASURE = """
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


def test_a_spawned_childs_peak_is_its_own_not_its_parents(tmp_path):
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    peak = json.loads(done.stdout.strip().splitlines()[-1])
    assert 30 <= peak < 100, peak  # an interpreter plus its 30 MB; the parent holds over 200 MB
