"""Process-wide settings that differ on Windows: UTF-8 standard streams, the named mutex that tells
the installer a copy is running, and helper programs started without a console window.

Qt-free and cheap to import (the editor's start-up imports it)."""

from __future__ import annotations

import sys
from typing import Any

# The installer (installer/cchc.nsi, RUNNING_MUTEX) opens this mutex to know that a copy of the
# program (the editor: ui.launcher.main, or cchc.exe: app.cli.main) runs and must be closed before files
# are replaced. "Local\\": the user's own session,
# which is where a per-user installer runs.
RUNNING_MUTEX = "Local\\BaoCaoCCHC-running"

# subprocess.CREATE_NO_WINDOW: a console program (pdftoppm, soffice.com) started from the windowed
# editor would otherwise flash a black console window.
_CREATE_NO_WINDOW = 0x08000000

_held: list[Any] = []  # the mutex handle lives as long as the process


def use_utf8_stdio() -> None:
    """Write stdout and stderr as UTF-8 whatever the console or redirection says.

    A Windows program whose output is redirected or piped encodes it in the ANSI code page
    (cp1258 on Vietnamese Windows, cp1252 on a build server), which cannot hold most Vietnamese
    letters: every `print` of a message would raise UnicodeEncodeError. A console window already
    gets UTF-16 from Python, which is unaffected. The windowed program has no streams (None)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if reconfigure is not None and encoding != "utf8":
            # backslashreplace: a lone surrogate (an undecodable file name) never stops the program
            reconfigure(encoding="utf-8", errors="backslashreplace")


def hold_running_mutex() -> bool:
    """Create the named mutex the installer looks for; True when it was created (Windows only).

    The handle is never closed: Windows releases it when the process ends, however it ends."""
    if sys.platform != "win32":
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateMutexW.restype = ctypes.c_void_p
    handle = kernel32.CreateMutexW(None, False, RUNNING_MUTEX)
    if handle:
        _held.append(handle)
    return bool(handle)


def no_window_options() -> dict[str, Any]:
    """Keyword arguments for subprocess.run/Popen that start a console program without a window."""
    return {"creationflags": _CREATE_NO_WINDOW} if sys.platform == "win32" else {}
