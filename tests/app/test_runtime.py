"""Process-wide Windows behaviour (app.runtime): helper programs without a console window, the
running-copy mutex the installer looks for. The Windows-only tests run under the Windows
interpreter (tools/windows_smoke.sh runs this suite under wine)."""

import ctypes
import subprocess
import sys
from types import SimpleNamespace

import pytest

from app import runtime
from app.paths import default_template
from app.templates import preview


def test_template_preview_starts_libreoffice_and_pdftoppm_without_a_console_window(
        tmp_path, monkeypatch):
    started = []

    def fake_run(cmd, **kwargs):
        started.append((cmd[0], kwargs))
        if cmd[0] == "soffice":  # a PDF as LibreOffice would leave it
            (tmp_path / "xem_truoc.pdf").write_bytes(b"%PDF-1.7")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(preview, "soffice_path", lambda: "soffice")
    monkeypatch.setattr(preview.shutil, "which", lambda name: name)
    monkeypatch.setattr(preview.subprocess, "run", fake_run)
    # app.runtime believes it runs on Windows; the rest of the program does not
    monkeypatch.setattr(runtime, "sys", SimpleNamespace(platform="win32"))
    preview.render_preview(default_template(), folder=tmp_path)
    assert [name for name, _ in started] == ["soffice", "pdftoppm"]
    for _, kwargs in started:
        assert kwargs["creationflags"] == 0x08000000  # subprocess.CREATE_NO_WINDOW on Windows


def test_no_creation_flags_outside_windows(monkeypatch):
    monkeypatch.setattr(runtime, "sys", SimpleNamespace(platform="linux"))
    assert runtime.no_window_options() == {}
    assert runtime.hold_running_mutex() is False


@pytest.mark.skipif(sys.platform != "win32", reason="a named mutex is a Windows object")
def test_the_running_copy_mutex_is_visible_to_another_process():
    assert runtime.hold_running_mutex()
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenMutexW.restype = ctypes.c_void_p
    handle = kernel32.OpenMutexW(0x00100000, False, runtime.RUNNING_MUTEX)  # SYNCHRONIZE
    assert handle, ctypes.get_last_error()
    kernel32.CloseHandle(ctypes.c_void_p(handle))
    # what the installer does (installer/cchc.nsi): a separate process opens it by name
    probe = subprocess.run(
        [sys.executable, "-c", "import ctypes, sys; k = ctypes.windll.kernel32;"
         " sys.exit(0 if k.OpenMutexW(0x00100000, 0, sys.argv[1]) else 1)", runtime.RUNNING_MUTEX],
        timeout=60)
    assert probe.returncode == 0
