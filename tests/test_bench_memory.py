"""The benchmark's memory figures (bench/worker.py): a spawned cleaning worker's peak is its own,
not the memory of the import process it was started from."""

import multiprocessing
import time

from bench.worker import ChildPeaks


def _hold(megabytes: int, seconds: float) -> None:
    block = bytearray(megabytes * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page: resident, not just reserved
    time.sleep(seconds)


def test_a_spawned_childs_peak_is_its_own_not_its_parents():
    parent_block = bytearray(200 * 1024 * 1024)
    parent_block[::4096] = b"x" * len(parent_block[::4096])
    peaks = ChildPeaks()
    child = multiprocessing.get_context("spawn").Process(target=_hold, args=(30, 0.5))
    child.start()
    child.join()
    peak = peaks.stop()
    assert 30 <= peak < 100, peak  # an interpreter plus its 30 MB; the parent holds over 200 MB
    del parent_block
