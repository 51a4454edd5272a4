"""Findings shown in place, under the field they concern; a warning asks for its explanation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.validation import SEVERITY_LABELS, Finding
from ui.style import mark_input, text_colour

SEVERITY_COLOURS = {"error": "#b71c1c", "warning": "#8a5300", "info": "#1f4e79", "input": "#b71c1c"}


class FindingBox(QWidget):
    """The findings of one row. Rows are kept by (rule, explanation key) and updated in place,
    so the explanation a user is typing is never rebuilt under the cursor."""

    def __init__(self, explain: Callable[[str, str, QLineEdit], None], parent: QWidget | None = None):
        super().__init__(parent)
        self._explain = explain
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(2)
        self._rows: dict[tuple[str, str], tuple[QWidget, QLabel, QLineEdit | None]] = {}
        self._problem = QLabel(self)
        self._problem.setWordWrap(True)
        self._problem.setObjectName("inputProblem")
        text_colour(self._problem, SEVERITY_COLOURS["input"])
        self._problem.hide()
        self._layout.addWidget(self._problem)
        self.findings: tuple[Finding, ...] = ()
        self.hide()

    def explanation_edits(self) -> list[QLineEdit]:
        return [edit for _w, _l, edit in self._rows.values() if edit is not None]

    def edit_for(self, explanation_key: str) -> QLineEdit | None:
        for (_rule, key), (_w, _l, edit) in self._rows.items():
            if key == explanation_key and edit is not None:
                return edit
        return None

    def set_problem(self, text: str) -> None:
        self._problem.setText(text)
        self._problem.setVisible(bool(text))
        self._update_visible()

    def set_findings(self, findings: tuple[Finding, ...], explanations: dict[str, str]) -> None:
        if findings == self.findings:
            return
        self.findings = findings
        wanted = {(f.rule, f.explanation_key): f for f in findings}
        for ident in [i for i in self._rows if i not in wanted]:
            widget, _label, _edit = self._rows.pop(ident)
            widget.deleteLater()
        for ident, f in wanted.items():
            if ident not in self._rows:
                self._rows[ident] = self._make_row(f, explanations.get(f.explanation_key, ""))
            _widget, label, edit = self._rows[ident]
            label.setText(self._describe(f))
            if edit is not None:
                edit.setProperty("explained", "true" if f.explained else "")
                mark_input(edit, "explained" if f.explained else "")
        self._update_visible()

    def show_explanation(self, explanation_key: str, text: str) -> None:
        edit = self.edit_for(explanation_key)
        if edit is not None and edit.text() != text and not edit.hasFocus():
            edit.setText(text)

    def _describe(self, f: Finding) -> str:
        state = " (đã giải trình)" if f.explained else ""
        colour = SEVERITY_COLOURS[f.severity]
        return (f"<span style='color:{colour}'><b>{f.rule} · {SEVERITY_LABELS[f.severity]}"
                f"{state}:</b> {_escape(f.message)}</span>")

    def _make_row(self, f: Finding, explanation: str) -> tuple[QWidget, QLabel, QLineEdit | None]:
        row = QWidget(self)
        lay = QVBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        label = QLabel(row)
        label.setWordWrap(True)
        label.setProperty("textFormat", "RichText")
        lay.addWidget(label)
        edit: QLineEdit | None = None
        if f.severity == "warning":
            line = QHBoxLayout()
            caption = QLabel("Giải trình:", row)
            edit = QLineEdit(row)
            edit.setObjectName(f"explain_{f.explanation_key}")
            edit.setAccessibleName(f"Giải trình {f.rule}")
            edit.setToolTip("Lý do số liệu như vậy; được lưu cùng báo cáo và cho phép xuất báo cáo.")
            edit.setText(explanation)
            caption.setBuddy(edit)
            key = f.explanation_key
            edit.textEdited.connect(lambda text, k=key, e=edit: self._explain(k, text, e))
            line.addWidget(caption)
            line.addWidget(edit, 1)
            lay.addLayout(line)
        self._layout.addWidget(row)
        return row, label, edit

    def _update_visible(self) -> None:
        self.setVisible(bool(self._rows) or self._problem.isVisibleTo(self))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
