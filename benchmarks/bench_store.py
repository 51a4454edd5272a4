"""History store benchmarks, SQLite and PostgreSQL side by side (medians of several runs):

- import of 600 intake workbooks (480 units, 80 later versions, 40 copies sent twice) through the
  collection service with --replace semantics, into an empty store: the whole import (reading
  the workbooks included) and the store's part alone (one transaction);
- consolidation of a period of 630 units from the store (`consolidate --from-store`: one
  snapshot read, sums, the result kept in the store).

PostgreSQL: $CCHC_TEST_PG_URL (an empty database it may wipe), e.g. from
`eval "$(tools/test_postgres.sh start)"`. Run: python3 benchmarks/bench_store.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the workbook maker the store's tests use

from store_data import PERIOD, make_import_set  # noqa: E402


def fresh_store(engine: str, tmp: Path, n: int) -> str:
    from app.store.engine import forget_engines

    forget_engines()
    if engine == "sqlite":
        return str(tmp / f"bench{n}.sqlite3")
    import psycopg

    url = os.environ["CCHC_TEST_PG_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


def bench_import(engine: str, files: list[Path], tmp: Path, runs: int) -> tuple[float, float]:
    from app.history import History
    from app.services.collection import commit_import, prepare_import

    whole, store_part = [], []
    for n in range(runs):
        url = fresh_store(engine, tmp, n)
        with History(url) as h:  # schema made before timing (a store exists before imports)
            t0 = time.perf_counter()
            plan = prepare_import(files, PERIOD, None, store=h)
            t1 = time.perf_counter()
            result = commit_import(plan, replace=True, store=h)
            t2 = time.perf_counter()
            assert h.counts()["submissions"] == 480, h.counts()
        assert result.imported >= 480
        whole.append(t2 - t0)
        store_part.append(t2 - t1)
    return statistics.median(whole), statistics.median(store_part)


def bench_consolidate(engine: str, tmp: Path, runs: int) -> float:
    from app.history import History
    from app.intake import Submission
    from app.model import Unit
    from app.services.collection import consolidate_stored

    url = fresh_store(engine, tmp, 99)
    base = datetime(2025, 12, 10, 8)
    subs = [Submission(Unit(f"Đơn vị {i:03d}", f"D{i:03d}", "so_nganh" if i < 30 else "xa"),
                       PERIOD, {"vbqppl_ban_hanh": i % 9, "vb_chi_dao_ban_hanh": i % 31,
                                "tuyen_truyen_tin_bai": i % 77, "ho_so_da_giai_quyet": 100 + i,
                                "ho_so_truoc_han": 40, "ho_so_dung_han": 50 + i,
                                "ho_so_qua_han": 10},
                       f"d{i:03d}.xlsx", base + timedelta(minutes=i)) for i in range(630)]
    times = []
    with History(url) as h:
        h.add_submissions(subs)
        for _ in range(runs):
            t = time.perf_counter()
            result = consolidate_stored(PERIOD, None, store=h)
            times.append(time.perf_counter() - t)
            assert len(result.accepted) == 630 and not result.rejected
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    engines = ["sqlite"] + (["postgresql"] if os.environ.get("CCHC_TEST_PG_URL") else [])
    if len(engines) == 1:
        print("PostgreSQL skipped: CCHC_TEST_PG_URL is not set (tools/test_postgres.sh start)")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CCHC_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["CCHC_CONFIG_DIR"] = str(Path(tmp) / "config")
        files = make_import_set(Path(tmp) / "workbooks").files
        for engine in engines:
            whole, part = bench_import(engine, files, Path(tmp), args.runs)
            print(f"{engine:10s} import of {len(files)} workbooks: median {whole:.2f} s "
                  f"(the store's transaction: {part:.2f} s)")
        for engine in engines:
            med = bench_consolidate(engine, Path(tmp), max(args.runs, 5))
            print(f"{engine:10s} consolidate a period of 630 units from the store: "
                  f"median {med * 1000:.0f} ms")


if __name__ == "__main__":
    main()
