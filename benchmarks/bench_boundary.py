"""The typed boundary's cost: loading a full report file (read, parse, typed and bounded checks)
and loading plus validating it (budget ≤ 2 ms together), and saving (the same boundary on the
way out). Medians of many runs.

Run: python benchmarks/bench_boundary.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import median_ms  # noqa: E402

from app.sample import sample_report  # noqa: E402
from app.storage import dump_report, load_report, save_report  # noqa: E402
from app.validation import validate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bao-cao.cchc.json"
        report = sample_report()
        save_report(report, path)
        previous = sample_report(2023)
        load_report(path)  # imports and the catalogue once
        print(f"load a full report: median {median_ms(lambda: load_report(path), args.runs):.3f} ms")
        both = median_ms(lambda: validate(load_report(path), previous), args.runs)
        print(f"load + validate (with the previous period): median {both:.3f} ms (budget 2 ms)")
        print(f"dump (boundary on the way out): median "
              f"{median_ms(lambda: dump_report(report), args.runs):.3f} ms")


if __name__ == "__main__":
    main()
