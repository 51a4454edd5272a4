"""The issues panel: every finding (errors, warnings, information) and every unreadable input;
clicking an entry jumps to the field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.validation import SEVERITY_LABELS, Finding
from ui.finding_box import SEVERITY_COLOURS
from ui.style import sub_title


class IssuesPanel(QFrame):
    """The right-hand pane of the window (a pane of the splitter rather than a dock widget:
    docking needs Qt.DockWidgetArea, which costs start-up time, see ui.launcher)."""

    jump = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("issuesPanel")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 6)
        title = QLabel("Kiểm tra số liệu")
        sub_title(title)
        lay.addWidget(title)
        self.summary = QLabel()
        self.summary.setObjectName("issuesSummary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.list = QListWidget()
        self._keys: list[str] = []
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        lay.addWidget(self.list)
        self._shown: tuple = ()

    def show_issues(self, findings: list[Finding], problems: list[tuple[str, str]]) -> None:
        """`problems`: (indicator key, message) for inputs that could not be read."""
        state = (tuple(findings), tuple(problems))
        if state == self._shown:
            return
        self._shown = state
        self.list.clear()
        self._keys: list[str] = []
        for key, message in problems:
            self._add("Lỗi nhập liệu", message, "input", key)
        for f in findings:
            note = " — đã giải trình" if f.explained else ""
            self._add(f"{f.rule} · {SEVERITY_LABELS[f.severity]}{note}", f.message, f.severity,
                      f.fields[0] if f.fields else "")
        n_err = len(problems) + sum(1 for f in findings if f.severity == "error")
        n_warn = sum(1 for f in findings if f.severity == "warning" and not f.explained)
        n_done = sum(1 for f in findings if f.severity == "warning" and f.explained)
        n_info = sum(1 for f in findings if f.severity == "info")
        if n_err == 0 and n_warn == 0:
            head = "Không có lỗi; báo cáo có thể xuất bản chính thức."
        else:
            head = "Cần sửa lỗi và giải trình cảnh báo trước khi xuất bản chính thức."
        self.summary.setText(f"<b>{n_err}</b> lỗi · <b>{n_warn}</b> cảnh báo chưa giải trình · "
                             f"{n_done} đã giải trình · {n_info} thông tin<br>{head}")

    def _add(self, head: str, message: str, severity: str, key: str) -> None:
        item = QListWidgetItem(f"{head}\n{message}")
        item.setForeground(QBrush(QColor(SEVERITY_COLOURS[severity])))
        self._keys.append(key)  # the field each row jumps to, by row
        item.setToolTip(message)
        self.list.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        key = self._keys[row] if 0 <= row < len(self._keys) else ""
        if key:
            self.jump.emit(key)
