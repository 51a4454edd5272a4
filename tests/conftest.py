"""Fixtures every test folder may use.

`store`: runs a test once per history store engine — SQLite (the per-user file) and PostgreSQL
(the shared server of team mode, at $CCHC_TEST_PG_URL, emptied before each test; .ci/run starts a
throw-away server with tools/test_postgres.sh). Without that variable the PostgreSQL run is
skipped, unless $CCHC_REQUIRE_PG is set (CI), where it fails instead.
"""

from __future__ import annotations

import os

import pytest


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
def store(request, monkeypatch, tmp_path):
    """The engine's name; `History()` then opens that engine's store."""
    from app.store.engine import forget_engines

    monkeypatch.setenv("CCHC_DATA_DIR", os.environ.get("CCHC_DATA_DIR") or str(tmp_path / "data"))
    if request.param == "postgresql":
        url = postgres_url()
        reset_postgres(url)
        monkeypatch.setenv("CCHC_STORE", url)
    else:
        monkeypatch.delenv("CCHC_STORE", raising=False)
    forget_engines()
    yield request.param
    forget_engines()
