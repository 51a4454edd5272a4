"""Fixtures every test shares: the user's folders in temporary folders (no test touches the real
per-user settings or data), and a unit's intake workbook filled in as a unit would in Excel."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# tests import shared helpers (filling, qt_typing) from their folders under --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402
from filling import fill_intake  # noqa: E402


@pytest.fixture(autouse=True)
def user_dirs(tmp_path, monkeypatch):
    config, data = tmp_path / "config", tmp_path / "data"
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(config))
    monkeypatch.setenv("CCHC_DATA_DIR", str(data))
    return config, data


@pytest.fixture
def filled_intake():
    """filled_intake(path, unit, period, values) → the workbook `intake` writes for the unit,
    filled in with `values`."""
    from app.intake import write_intake

    def make(path: Path, unit, period, values: dict) -> Path:
        return fill_intake(write_intake(path, unit, period), values)

    return make


# ------------------------------------------------------------------ the history store's engines
# `store`: runs a test once per history store engine — SQLite (the per-user file) and PostgreSQL
# (the shared server of team mode, at $CCHC_TEST_PG_URL, emptied before each test; .ci/run starts
# a throw-away server with tools/test_postgres.sh). Without that variable the PostgreSQL run is
# skipped, unless $CCHC_REQUIRE_PG is set (CI), where it fails instead.


def reset_postgres(url: str) -> None:
    """An empty database: the public schema dropped and made again."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def postgres_url() -> str:
    url = os.environ.get("CCHC_TEST_PG_URL", "")
    if not url:
        if os.environ.get("CCHC_REQUIRE_PG"):
            pytest.fail("CCHC_TEST_PG_URL is not set but CCHC_REQUIRE_PG is: no PostgreSQL server")
        pytest.skip("PostgreSQL not available (eval \"$(tools/test_postgres.sh start)\")")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, monkeypatch, user_dirs):
    """The engine's name; `History()` then opens that engine's store."""
    from app.store.engine import forget_engines

    if request.param == "postgresql":
        url = postgres_url()
        reset_postgres(url)
        monkeypatch.setenv("CCHC_STORE", url)
    else:
        monkeypatch.delenv("CCHC_STORE", raising=False)
    forget_engines()
    yield request.param
    forget_engines()


@pytest.fixture(autouse=True)
def _store_reachable_again():
    """The editor remembers for a minute that the shared store was unreachable (app.history);
    each test starts without that memory."""
    yield
    history = sys.modules.get("app.history")
    if history is not None and hasattr(history, "_offline"):
        history._offline = None
