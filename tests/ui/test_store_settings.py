"""The shared store's address in the settings window; its password goes to the OS credential
store (keyring), never into settings.json."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend


class Memory(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.kept: dict = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def credential_store():
    import keyring

    previous, memory = keyring.get_keyring(), Memory()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def test_store_password_goes_to_the_credential_store_not_the_settings(qtbot, credential_store):
    from app.settings import Settings, load_settings, save_settings, settings_path
    from app.store.engine import KEYRING_SERVICE
    from ui.settings_dialog import SettingsDialog

    s = Settings()
    d = SettingsDialog(s)
    qtbot.addWidget(d)
    d.widgets["store_url"].setText("postgresql://chuyenvien:mat-khau-1@may-chu-snv:5432/cchc")
    d._check_and_accept()
    assert d.result() == d.DialogCode.Accepted
    assert credential_store.kept == {(KEYRING_SERVICE, "chuyenvien@may-chu-snv:5432/cchc"): "mat-khau-1"}
    d.apply(s)
    save_settings(s)
    assert "mat-khau-1" not in settings_path().read_text(encoding="utf-8")
    assert load_settings().store_url == "postgresql://chuyenvien@may-chu-snv:5432/cchc"

    # a new password typed in its own field replaces the kept one
    d = SettingsDialog(load_settings())
    qtbot.addWidget(d)
    d.store_password.setText("mat-khau-2")
    d._check_and_accept()
    assert credential_store.kept[(KEYRING_SERVICE, "chuyenvien@may-chu-snv:5432/cchc")] == "mat-khau-2"


def test_a_bad_store_address_is_refused_in_the_window(qtbot, credential_store):
    from app.settings import Settings
    from ui.settings_dialog import SettingsDialog

    d = SettingsDialog(Settings())
    qtbot.addWidget(d)
    d.widgets["store_url"].setText("mysql://u@h/db")
    d._check_and_accept()
    assert d.result() != d.DialogCode.Accepted
    assert "chỉ dùng được kho PostgreSQL" in d.error.text()
    assert credential_store.kept == {}


def test_editor_says_in_one_line_that_the_shared_store_is_out_of_reach(window, monkeypatch,
                                                                       tmp_path):
    """Opening a report looks for last year's in the store; the server being down is one line
    in the status bar, the report opens and saves as usual, and the next report does not wait."""
    import time

    import app.history
    from app.sample import sample_report
    from app.storage import load_report

    monkeypatch.setenv("CCHC_STORE", "postgresql://cchc@127.0.0.1:9/cchc")  # nothing listens
    monkeypatch.setattr(app.history, "_offline", None)
    window.open_report(sample_report(2025))
    message = window.statusBar().currentMessage()
    assert message.startswith("Không kết nối được kho dùng chung postgresql://cchc@127.0.0.1:9/cchc")
    assert window.previous is None
    t = time.perf_counter()
    window.open_report(sample_report(2024))
    assert time.perf_counter() - t < 2.0  # not waiting for the server again
    window.path = str(tmp_path / "r.cchc")  # saved the usual way (File → Lưu)
    assert window.save()
    assert window.statusBar().currentMessage().startswith("Đã lưu")
    assert load_report(tmp_path / "r.cchc").period.year == 2024
