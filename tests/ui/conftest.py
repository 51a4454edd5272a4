"""pytest-qt set-up: offscreen Qt, settings and data folders in temporary folders, a settings
file already present so that the first-run dialog does not appear, and helpers that type as a
user does (Vietnamese text goes through input-method events, see toolchain.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# tests import their typing helpers (qt_typing) from this folder under --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402


@pytest.fixture
def settings_file(user_dirs):
    from app.settings import Settings, save_settings

    s = Settings(agency_name="Ủy ban nhân dân tỉnh Hà Nam", province="Hà Nam",
                 signer_name="Nguyễn Văn An")
    save_settings(s)
    return s


@pytest.fixture
def window(qtbot, settings_file, monkeypatch):
    from ui import prompts
    from ui.app import create_window

    # no modal question may block a test: each test that expects one says what to answer
    monkeypatch.setattr(prompts, "show_error", lambda *a: pytest.fail(f"unexpected error box {a}"))
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *a: prompts.DISCARD)
    w = create_window()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w
