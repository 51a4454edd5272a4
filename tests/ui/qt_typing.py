"""Typing as a user does: ASCII as key events, Vietnamese letters as input-method commits
(qtbot.keyClicks aborts on non-ASCII text, see toolchain.md)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user: ASCII as key events, other characters as an input method commits them."""
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
                QCoreApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                              Qt.KeyboardModifier.NoModifier, ch))
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QCoreApplication.sendEvent(widget, event)
    QApplication.processEvents()


def clear_and_type(widget: QWidget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Delete,
                                                      Qt.KeyboardModifier.NoModifier))
    type_text(widget, text)


def finish(widget: QWidget) -> None:
    """Leave the field with Enter, as a user does."""
    for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Return,
                                                      Qt.KeyboardModifier.NoModifier))
    QApplication.processEvents()
