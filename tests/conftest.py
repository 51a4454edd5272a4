"""Fixtures every test shares: the user's folders in temporary folders (no test touches the real
per-user settings or data), and a unit's intake workbook filled in as a unit would in Excel."""

from __future__ import annotations

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
