"""Consolidation benchmarks (architecture.md budgets): medians of several runs.

- consolidate 1,000 unit report files (*.cchc.json) ≤ 2 s
- consolidate 200 filled intake workbooks ≤ 15 s
- memory stays flat as the count grows: peak RSS of a fresh process for 250 / 500 / 1,000 files

Run: python3 benchmarks/bench_consolidate.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.intake import DATA_SHEET, HEADER_ROW, intake_indicators, write_intake  # noqa: E402
from app.model import Period, Unit  # noqa: E402

PERIOD = Period("nam", 2025)


def unit_values(rng: random.Random, level: str) -> dict:
    """A consistent set of figures for one unit (every error rule holds)."""
    keys = {i.key for i in intake_indicators(level, PERIOD)}
    tong = rng.randint(20, 400)
    da = rng.randint(100, 5000)
    truoc = rng.randint(0, da // 2)
    qua = rng.randint(0, da // 20)
    dung = da - truoc - qua
    tt, tb = rng.randint(50, 3000), rng.randint(50, 3000)
    v = {
        "kh_nhiem_vu_tong_so": 20, "kh_nhiem_vu_hoan_thanh": rng.randint(10, 20),
        "vb_chi_dao_ban_hanh": rng.randint(0, 30), "tuyen_truyen_tin_bai": rng.randint(0, 80),
        "vbqppl_ban_hanh": rng.randint(0, 10), "vbqppl_kiem_tra": rng.randint(10, 50),
        "vbqppl_kien_nghi_sua_doi": rng.randint(0, 5),
        "tthc_tong_so": tong, "tthc_cap_xa": tong, "tthc_mot_cua": rng.randint(tong // 2, tong),
        "tthc_don_gian_hoa": rng.randint(0, tong // 4),
        "ho_so_tiep_nhan": tt + tb, "ho_so_truc_tuyen": tt, "ho_so_truc_tiep_buu_chinh": tb,
        "ho_so_da_giai_quyet": da, "ho_so_truoc_han": truoc, "ho_so_dung_han": dung,
        "ho_so_qua_han": qua, "ty_le_so_hoa_ket_qua": round(rng.uniform(40, 100), 2),
        "cps_ty_le_ho_so_truc_tuyen": round(rng.uniform(20, 90), 2),
        "pakn_tiep_nhan": 10, "pakn_da_xu_ly": rng.randint(0, 10),
        "bien_che_cong_chuc_giao": rng.randint(10, 200), "cv_ky_luat": rng.randint(0, 3),
        "tc_tiet_kiem_chi": rng.randint(0, 900_000_000),
    }
    if "ho_so_tiep_nhan" in v:  # R13: received = online + direct (+ carried over, not given)
        v.pop("ho_so_ky_truoc_chuyen_sang", None)
    return {k: x for k, x in v.items() if k in keys}


def make_reports(folder: Path, n: int) -> list[Path]:
    rng = random.Random(4)
    out = []
    for i in range(n):
        level = "so_nganh" if i < 25 else "xa"
        data = {"format": "cchc-report", "format_version": 1,
                "unit": {"name": f"Đơn vị {i:04d}", "code": f"U{i:04d}", "level": level},
                "period": {"kind": "nam", "year": 2025}, "values": unit_values(rng, level)}
        p = folder / f"u{i:04d}.cchc.json"
        p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        out.append(p)
    return out


def make_workbooks(folder: Path, n: int) -> list[Path]:
    import openpyxl

    rng = random.Random(7)
    out = []
    for i in range(n):
        level = "so_nganh" if i < 25 else "xa"
        p = write_intake(folder / f"w{i:03d}.xlsx", Unit(f"Đơn vị {i:03d}", f"W{i:03d}", level), PERIOD)
        wb = openpyxl.load_workbook(p)
        ws = wb[DATA_SHEET]
        rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
        for k, v in unit_values(rng, level).items():
            ws.cell(rows[k], 5).value = v
        wb.save(p)
        out.append(p)
    return out


def timed(paths: list[Path], runs: int) -> tuple[float, int]:
    from app.services.collection import consolidate_files

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = consolidate_files(paths)
        times.append(time.perf_counter() - t)
        assert not result.rejected, result.rejected[:3]
    return statistics.median(times), len(result.accepted)


def child(folder: str, n: int) -> None:
    from app.services.collection import consolidate_files

    paths = sorted(Path(folder).glob("*.cchc.json"))[:n]
    result = consolidate_files(paths)
    assert len(result.accepted) == n
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CCHC_DATA_DIR"] = str(Path(tmp) / "data")
        rep = Path(tmp) / "reports"
        rep.mkdir()
        reports = make_reports(rep, 1000)
        med, n = timed(reports, args.runs)
        print(f"consolidate {n} report files: median {med:.3f} s (budget 2 s)")
        wbs = Path(tmp) / "workbooks"
        wbs.mkdir()
        books = make_workbooks(wbs, 200)
        med, n = timed(books, max(1, min(args.runs, 3)))
        print(f"consolidate {n} intake workbooks: median {med:.3f} s (budget 15 s)")
        for n in (250, 500, 1000):
            out = subprocess.run([sys.executable, __file__, "--child", str(rep), str(n)],
                                 capture_output=True, text=True, check=True, env=os.environ)
            kib = int(out.stdout.strip().splitlines()[-1])
            print(f"peak RSS consolidating {n:>4} report files: {kib / 1024:.1f} MB")


if __name__ == "__main__":
    main()
