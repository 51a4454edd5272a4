"""The issues panel: every finding (errors, warnings, information) and every unreadable input;
clicking an entry jumps to the field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.validation import SEVERITY_LABELS, Finding
from ui.finding_box import SEVERITY_COLOURS
from ui.qt_compat import emit

KEY_ROLE = Qt.ItemDataRole.UserRole


class IssuesPanel(QDockWidget):
    jump = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Kiểm tra số liệu", parent)
        self.setObjectName("issuesPanel")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 4, 6, 6)
        self.summary = QLabel()
        self.summary.setObjectName("issuesSummary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        lay.addWidget(self.list)
        self.setWidget(body)
        self._shown: tuple = ()

    def show_issues(self, findings: list[Finding], problems: list[tuple[str, str]]) -> None:
        """`problems`: (indicator key, message) for inputs that could not be read."""
        state = (tuple(findings), tuple(problems))
        if state == self._shown:
            return
        self._shown = state
        self.list.clear()
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
        item.setData(KEY_ROLE, key)
        item.setToolTip(message)
        self.list.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if key:
            emit(self.jump, key)
