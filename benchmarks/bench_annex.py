"""Median time of write_annex for the sample report (budget: Word + Excel ≤ 250 ms together).

    python benchmarks/bench_annex.py [--runs N]

Prints the medians for the sample report alone, with the previous period, and with 600 unit
submissions (a consolidated provincial report)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import bench  # noqa: E402

from app.export.annex import write_annex  # noqa: E402
from app.intake import Submission  # noqa: E402
from app.model import Period, Unit  # noqa: E402
from app.sample import sample_report  # noqa: E402


def _units(n: int, period: Period) -> list[Submission]:
    out = []
    for i in range(n):
        level = "so_nganh" if i < 25 else "xa"
        values = {"vbqppl_ban_hanh": i % 7, "vbqppl_kiem_tra": 10 + i % 13, "tthc_tong_so": 150,
                  "tthc_mot_cua": 140 + i % 10, "ho_so_tiep_nhan": 1000 + i,
                  "ho_so_da_giai_quyet": 990, "ho_so_truoc_han": 600, "ho_so_dung_han": 380,
                  "cps_dvctt_toan_trinh": 60, "cps_dvctt_mot_phan": 40}
        if i % 9 == 0:
            del values["vbqppl_kiem_tra"]
        out.append(Submission(Unit(f"Đơn vị số {i + 1}", f"DV{i}", level), period, values,
                              f"{i}.xlsx", datetime(2024, 12, 10)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    report = sample_report()
    previous = sample_report(report.period.year - 1)
    consolidated = sample_report()
    consolidated.sources = _units(600, consolidated.period)
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "phu_luc.xlsx"
        bench("write_annex sample report", lambda: write_annex(report, out), args.runs)
        bench("write_annex sample + previous, draft",
              lambda: write_annex(report, out, previous=previous, draft=True), args.runs)
        bench("write_annex with 600 units", lambda: write_annex(consolidated, out),
              max(5, args.runs // 3))


if __name__ == "__main__":
    main()
