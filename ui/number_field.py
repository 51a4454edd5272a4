"""The figure input: reads numbers the Vietnamese way whatever the regional settings say.

"1.675" is one thousand six hundred seventy-five and "97,37" is 97.37; an empty box means "not
reported" (never 0). Each run of typing is one undo session; after editing the box shows the
figure with group separators, formatted by app.formatting.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.catalog import Indicator
from app.formatting import ParseError, format_input, parse_number
from ui.style import mark_input

_sessions = itertools.count(1)


def new_session() -> int:
    """A fresh typing-session id; edits with the same id merge into one undo step."""
    return next(_sessions)


class NumberInput(QLineEdit):
    """Emits `edited(key, value, session)` for every readable text (value None = blank) and
    `problem_changed(key)` when the text becomes unreadable or readable again."""

    edited = Signal(str, object, int)
    problem_changed = Signal(str)

    ERROR_DELAY_MS = 700

    def __init__(self, indicator: Indicator, parent: QWidget | None = None):
        super().__init__(parent)
        self.indicator = indicator
        self.key = indicator.key
        self.problem: str = ""  # the parse error shown to the user, "" when readable
        self.mark: str = ""  # the worst severity of the findings about this field
        self._pending_problem = ""
        self._shown_mark = ""
        self._session = new_session()
        self.setProperty("alignment", "AlignRight|AlignVCenter")  # by name: see ui.launcher
        self.setObjectName(f"input_{self.key}")
        self.setAccessibleName(indicator.label)
        self.setMaxLength(24)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.ERROR_DELAY_MS)
        self._timer.timeout.connect(self._show_pending_problem)
        self.textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._on_editing_finished)

    # -- typing -------------------------------------------------------------------------------
    def _on_text_edited(self, text: str) -> None:
        try:
            value = parse_number(text, self.indicator.unit).value
        except ParseError as exc:
            # wait a moment before complaining: "1." is on its way to "1.675"
            self._pending_problem = f"{self.indicator.label}: {exc}"
            self._timer.start()
            return
        self._timer.stop()
        self._pending_problem = ""
        self._set_problem("")
        self.edited.emit(self.key, value, self._session)

    def _show_pending_problem(self) -> None:
        if self._pending_problem:
            self._set_problem(self._pending_problem)

    def _set_problem(self, text: str) -> None:
        if text != self.problem:
            self.problem = text
            self.setProperty("invalid", "true" if text else "")
            self.restyle()
            self.problem_changed.emit(self.key)

    def set_mark(self, severity: str) -> None:
        """The worst severity of the findings about this field ("" when none)."""
        if severity != self.mark:
            self.mark = severity
            self.setProperty("severity", severity)
            self.restyle()

    def restyle(self) -> None:
        shown = "error" if self.problem else self.mark if self.mark in ("error", "warning") else ""
        if shown != self._shown_mark:
            self._shown_mark = shown
            mark_input(self, shown)

    def _on_editing_finished(self) -> None:
        self._timer.stop()
        if self._pending_problem:
            self._set_problem(self._pending_problem)
            return
        try:
            value = parse_number(self.text(), self.indicator.unit).value
        except ParseError:
            return
        self.setText(format_input(self.indicator.unit, value))
        self._session = new_session()  # the next run of typing is a new undo step

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._session = new_session()
        super().focusInEvent(event)

    # -- from the model -----------------------------------------------------------------------
    def show_value(self, value: int | float | None) -> None:
        """Show the model's figure unless the user is typing text that already means it."""
        if self.hasFocus():
            try:
                if parse_number(self.text(), self.indicator.unit).value == value:
                    return
            except ParseError:
                pass
        self._timer.stop()
        self._pending_problem = ""
        self._set_problem("")
        self.setText(format_input(self.indicator.unit, value))
