"""Work-arounds for the Qt binding in use.

PySide6 6.12.0: `SignalInstance.emit()` returns True without taking a reference to it, so every
emit from Python loses one reference to True; after some thousands of keystrokes the interpreter
aborts ("deallocating True or False"). `emit` below gives the reference back, and only when the
running binding is found to lose it, so a fixed binding needs no change here.

Start-up: the first touch of `PySide6.QtCore.Qt` builds every enum of the Qt namespace as a
Python enum, about 20 ms (a tenth of a bare PySide6 start-up). What is built before the first
paint sets those values as Qt properties, by their numbers in qnamespace.h, below.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

# Qt::AlignmentFlag, Qt::TextInteractionFlag, Qt::TextFormat, Qt::ToolButtonStyle, Qt::UserRole
ALIGN_RIGHT_VCENTER = 0x0002 | 0x0080
TEXT_SELECTABLE_BY_MOUSE = 0x1
RICH_TEXT = 1
TOOL_BUTTON_TEXT_ONLY = 1
USER_ROLE = 0x0100


class _Probe(QObject):
    ping = Signal()


def _emit_loses_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = sys.getrefcount(True) < before
    if lost:
        import ctypes

        for _ in range(8):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost


_LOSES = _emit_loses_reference()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)` without the reference leak of PySide6 6.12."""
    result = signal.emit(*args)
    if _LOSES and isinstance(result, bool):
        import ctypes

        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
