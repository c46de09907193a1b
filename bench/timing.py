"""Timing of page requests for the page benchmarks (bench.lists, bench.wizard)."""

import statistics
import time


def timed(call, repeat: int) -> float:
    """The median of `repeat` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)
