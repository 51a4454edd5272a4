"""Qt adapters for the Qt-free core: model changes as a signal, app.undo commands as QUndoCommands."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.model import Report
from app.undo import EditCommand, SetField, SetText, SetValue


class ReportBridge(QObject):
    """Turns the report's plain observer calls into one Qt signal: changed(what, key)."""

    changed = Signal(str, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._report: Report | None = None

    def attach(self, report: Report) -> None:
        if self._report is not None and self._on_change in self._report._listeners:
            self._report._listeners.remove(self._on_change)
        self._report = report
        report.subscribe(self._on_change)

    def _on_change(self, what: str, key: str | None) -> None:
        self.changed.emit(what, key or "")


class ReportUndoCommand(QUndoCommand):
    """Wraps one app.undo command.

    Merging is done by `push_edit`, not by overriding id()/mergeWith(): a Python mergeWith that
    returns True loses a reference to True on every call in PySide6 6.12 and, after a few
    thousand keystrokes, crashes the interpreter."""

    def __init__(self, report: Report, command: EditCommand, text: str):
        super().__init__(text)
        self.report = report
        self.command = command

    def redo(self) -> None:
        self.command.apply(self.report)

    def undo(self) -> None:
        self.command.revert(self.report)


def push_edit(stack: QUndoStack, last: ReportUndoCommand | None, report: Report,
              command: EditCommand, text: str) -> ReportUndoCommand | None:
    """Push an edit; consecutive edits of one field in one typing session become one step.
    Returns the command now on top (to pass back as `last` next time)."""
    on_top = (last is not None and stack.index() == stack.count() and stack.count() > 0
              and stack.command(stack.index() - 1) is last)
    if on_top and not stack.isClean() and last.command.can_merge(command):
        last.command.merge(command)
        command.apply(report)
        if last.command.is_noop:  # typed back to where it started: the step disappears
            last.setObsolete(True)
            stack.undo()
            return None
        return last
    wrapped = ReportUndoCommand(report, command, text)
    stack.push(wrapped)
    return wrapped


__all__ = ["ReportBridge", "ReportUndoCommand", "push_edit", "SetField", "SetText", "SetValue"]
