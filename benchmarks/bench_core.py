"""Medians for the core budgets: validating a full report (≤ 2 ms, with the previous period)
and exporting Word + Excel in process (≤ 250 ms); peak memory of an export (≤ 200 MB).

Run: python benchmarks/bench_core.py
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.export import export_report  # noqa: E402
from app.sample import sample_report  # noqa: E402
from app.validation import validate  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    report = sample_report()
    previous = sample_report(2023)
    previous.values = {k: (v * 0.9 if isinstance(v, float) else int(v * 0.9))
                       for k, v in previous.values.items()}
    previous.values.update(cs_par_xep_hang=24, cs_sipas_xep_hang=16, bien_che_nam_goc=2015,
                           cs_papi_xep_hang=33, cs_pci_xep_hang=19, cs_par_diem=84.11)
    validate(report, previous)  # warm the catalogue
    v = median_ms(lambda: validate(report, previous), 500)
    print(f"validate full report (with previous period): median {v:.3f} ms (budget 2 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        docx, xlsx = Path(tmp) / "r.docx", Path(tmp) / "r.xlsx"
        export_report(report, docx=docx, xlsx=xlsx, previous=previous)  # warm imports
        w = median_ms(lambda: export_report(report, docx=docx, previous=previous), 15)
        x = median_ms(lambda: export_report(report, xlsx=xlsx, previous=previous), 15)
        both = median_ms(lambda: export_report(report, docx=docx, xlsx=xlsx, previous=previous), 15)
    print(f"export Word only: median {w:.1f} ms; Excel only: median {x:.1f} ms")
    print(f"export Word + Excel: median {both:.1f} ms (budget 250 ms)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB (budget 200 MB)")


if __name__ == "__main__":
    main()
