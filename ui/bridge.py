"""Qt adapters for the Qt-free core: model changes as a signal, app.undo commands as QUndoCommands."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from app.model import Report
from app.undo import EditCommand, SetField, SetText, SetValue

_MERGE_ID = 0x4343


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
    """Wraps one app.undo command; consecutive edits of one field in one session merge."""

    def __init__(self, report: Report, command: EditCommand, text: str):
        super().__init__(text)
        self.report = report
        self.command = command

    def redo(self) -> None:
        self.command.apply(self.report)

    def undo(self) -> None:
        self.command.revert(self.report)

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReportUndoCommand) or not self.command.can_merge(other.command):
            return False
        self.command.merge(other.command)
        if self.command.is_noop:
            self.setObsolete(True)
        return True


__all__ = ["ReportBridge", "ReportUndoCommand", "SetField", "SetText", "SetValue"]
