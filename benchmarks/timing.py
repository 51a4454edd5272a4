"""What every benchmark script shares: run a function many times and report the median.

Benchmarks print medians on a shared machine and are never part of the test run."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python benchmarks/bench_x.py` from anywhere
    sys.path.insert(0, str(ROOT))


def times_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    """How long each of `repeat` calls took, in milliseconds."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(times_ms(fn, repeat))


def bench(label: str, fn: Callable[[], object], runs: int, warm: bool = True,
          digits: int = 1) -> float:
    """Print and return the median of `runs` calls (after one warming call: imports, caches)."""
    if warm:
        fn()
    times = times_ms(fn, runs)
    med = statistics.median(times)
    print(f"{label}: median {med:.{digits}f} ms (min {min(times):.{digits}f}, "
          f"max {max(times):.{digits}f}, n={runs})")
    return med
