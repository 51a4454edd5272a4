"""Several specialists at once: 8 processes import 600 intake workbooks (duplicates and later
versions among them) into one PostgreSQL store with `python -m app import --replace`; a process
killed in the middle of an import leaves the store consistent (both engines)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from store_data import PERIOD, make_import_set, pattern_values

from app.history import History
from app.store.engine import _MIGRATE_LOCK

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = {"added", "replaced", "unchanged", "older", "rejected"}


_INSTALLATION: list[Path] = []  # the data folder whose intake key signed the workbooks


@pytest.fixture(scope="module")
def import_set(tmp_path_factory):
    # the workbooks are signed with one installation's key (app.intake_key); every importing
    # process below is that same installation
    installation = tmp_path_factory.mktemp("installation")
    _INSTALLATION[:] = [installation]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCHC_DATA_DIR", str(installation))
        return make_import_set(tmp_path_factory.mktemp("workbooks"))


def _env(tmp_path: Path, store: str | None) -> dict[str, str]:
    import shutil

    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    for key in (_INSTALLATION[0].glob("*.key") if _INSTALLATION else ()):
        shutil.copy2(key, data / key.name)
    env = dict(os.environ, CCHC_DATA_DIR=str(data),
               CCHC_CONFIG_DIR=str(tmp_path / "config"), PYTHONPATH=str(ROOT))
    env.pop("CCHC_STORE", None)
    if store:
        env["CCHC_STORE"] = store
    return env


def _import(files, env, *extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", "import", "--replace", *extra,
                             *map(str, files)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            errors="replace")  # the program writes UTF-8 (Windows: not cp1252)


def _check_consistent(h: History) -> None:
    """Every unit at most one current submission; every stored version and every current one
    accounted for by the audit trail (nothing half-written)."""
    subs = h.submissions(PERIOD)
    assert len({s.key for s in subs}) == len(subs)
    trail = h.audit(PERIOD)
    stored = Counter(e.action for e in trail if e.action in ("added", "replaced"))
    assert h.counts()["submission_versions"] == stored["added"] + stored["replaced"]
    assert len(subs) == stored["added"]


def _consolidated(h: History) -> dict:
    from app.services.collection import consolidate_stored

    result = consolidate_stored(PERIOD, None, store=h)
    # a byte copy sent again may be the one kept for its unit: the same submission
    sources = sorted(s.file.replace("_gui_lai", "") for s in result.report.sources)
    return {"values": result.report.values, "sources": sources, "units": len(result.accepted)}


def test_eight_processes_import_600_workbooks_without_loss(import_set, store, tmp_path):
    if store != "postgresql":
        pytest.skip("the shared server's test (SQLite is the reference here)")
    url = os.environ["CCHC_STORE"]
    files = list(import_set.files)
    random.Random(17).shuffle(files)
    # each process imports its share in batches, as specialists do, all at the same time
    shares = [files[i::8] for i in range(8)]
    procs = []
    for share in shares:
        batches = [share[j:j + 15] for j in range(0, len(share), 15)]
        script = "; ".join(
            f"sys.argv[1:] = {['import', '--replace', '--store', url] + [str(p) for p in b]!r}; "
            f"code = main(); codes.append(code)" for b in batches)
        procs.append(subprocess.Popen(
            [sys.executable, "-c", f"import sys; from app.cli import main; codes = []; {script}; "
                                   f"sys.exit(max(codes))"],
            cwd=ROOT, env=_env(tmp_path, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", errors="replace"))
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode in (0, 1), err[-2000:]
        assert "Lỗi" not in err, err[-2000:]

    with History(url) as h:
        subs = {s.unit.code: s for s in h.submissions(PERIOD)}
        assert len(subs) == 480 and set(subs) == set(import_set.latest)
        for code, pattern in import_set.latest.items():  # exactly its latest submission
            assert subs[code].values == pattern_values(pattern), code
            version = "v2" if code in import_set.replaced else "v1"
            assert f"_{version}" in subs[code].file
        trail = h.audit(PERIOD)
        # one event per workbook: every file accounted for, none twice
        assert sorted(e.file for e in trail) == sorted(p.name for p in import_set.files)
        assert {e.action for e in trail} <= ACTIONS
        assert all(e.file_hash and e.os_user and e.machine for e in trail)
        _check_consistent(h)
        shared = _consolidated(h)

    # the reference: one import at a time, in order, SQLite (batches of 100 files: a Windows
    # command line holds at most 32,767 characters, fewer than 600 temporary paths)
    single = tmp_path / "single.sqlite3"
    for j in range(0, len(import_set.files), 100):
        p = _import(import_set.files[j:j + 100], _env(tmp_path, None), "--store", str(single))
        _out, err = p.communicate(timeout=600)
        assert p.returncode in (0, 1), err[-2000:]
    with History(single) as h:
        assert _consolidated(h) == shared


def _writing(url: str) -> bool:
    """Whether an import is inside its write transaction right now."""
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            # the writers' per-unit locks; not the lock a process takes to check the schema
            return conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                "AND granted AND NOT (classid = 0 AND objid = %s)",
                                (_MIGRATE_LOCK,)).fetchone()[0] > 0
    return Path(url + "-journal").exists()


def test_killing_an_import_in_the_middle_of_writing_leaves_the_store_consistent(
        import_set, store, tmp_path):
    url = os.environ.get("CCHC_STORE") or str(tmp_path / "kill.sqlite3")
    files = list(import_set.files)
    env = _env(tmp_path, None)
    p = _import(files[:30], env, "--store", url)  # a first import that completes
    p.communicate(timeout=900)
    with History(url) as h:
        before = h.counts()
    batch = files[30:180]  # first versions of 150 other units: one transaction
    p = _import(batch, env, "--store", url)
    deadline = time.monotonic() + 300
    while p.poll() is None and not _writing(url) and time.monotonic() < deadline:
        time.sleep(0.002)
    running = p.poll() is None
    p.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs either way
    _out, _err = p.communicate(timeout=60)
    assert running or print(_err[-1500:])
    assert running, "the import ended before it could be killed"
    if os.name == "posix":
        assert p.returncode == -signal.SIGKILL
    with History(url) as h:
        _check_consistent(h)
        after = h.counts()
    # none of the killed batch is stored (its transaction never committed), the rest intact
    assert after == before
    # the store is usable afterwards: the same import again completes
    p = _import(batch, env, "--store", url)
    _out, err = p.communicate(timeout=900)  # a safety net: Windows code under wine is slow
    assert p.returncode == 0, err[-2000:]
    with History(url) as h:
        _check_consistent(h)
        assert h.counts()["submissions"] == before["submissions"] + len(batch)
