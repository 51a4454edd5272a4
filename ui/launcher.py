"""`python -m app [FILE] [--terminate-after-init]`: start the editor.

Start-up is measured (benchmarks/bench_startup.py) and its tricks are named here:
- the collector is off while the window is built, and the core is imported before Qt;
- nothing built before the first paint touches `PySide6.QtCore.Qt`: its first use builds every
  enum of the Qt namespace as a Python enum (about 20 ms, a tenth of a bare PySide6 start-up).
  Widgets set such values as Qt properties by name instead
  (`setProperty("alignment", "AlignRight|AlignVCenter")`), and message boxes are imported where
  they are used.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    terminate = "--terminate-after-init" in argv
    files = [a for a in argv if not a.startswith("-")]
    # start-up makes many long-lived objects (classes, enums, widgets) and almost no garbage:
    # the collector waits until the window is painted (ui.app.run_gui), then freezes them
    import gc

    gc.disable()
    # the core is imported before Qt: once PySide6 is loaded it hooks every later import (it
    # reads each module's source looking for `from __feature__`), which costs start-up time
    import app.recovery  # noqa: F401
    import app.undo  # noqa: F401
    import app.validation  # noqa: F401
    from ui.app import run_gui

    return run_gui(files[0] if files else None, terminate_after_init=terminate)
