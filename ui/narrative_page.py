"""The narrative: one plain-text editor per outline section, paragraphs separated by blank lines."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.catalog import Catalog
from app.model import Report
from ui.style import muted, page_title, sub_title


class NarrativePage(QWidget):
    def __init__(self, cat: Catalog, on_edit: Callable[[str, str], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.sections = cat.sections
        self._on_edit = on_edit
        self._loading = False
        self.report: Report | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 16)
        title = QLabel("Nội dung báo cáo (thuyết minh)")
        page_title(title)
        lay.addWidget(title)
        intro = QLabel("Viết nội dung theo từng mục của đề cương; các đoạn cách nhau một dòng "
                       "trống. Số liệu do chương trình tự viết vào báo cáo từ các trang chỉ tiêu.")
        intro.setWordWrap(True)
        muted(intro)
        lay.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("narrativeSections")
        self.list.setMaximumWidth(270)
        self.list.setWordWrap(True)  # long headings wrap instead of needing a scroll bar
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for s in self.sections:
            self.list.addItem(s.heading)
        row.addWidget(self.list)
        right = QVBoxLayout()
        self.heading = QLabel()
        sub_title(self.heading)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        muted(self.hint)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("narrativeEditor")
        self.editor.setTabChangesFocus(True)
        right.addWidget(self.heading)
        right.addWidget(self.hint)
        right.addWidget(self.editor, 1)
        row.addLayout(right, 1)
        lay.addLayout(row, 1)
        self.list.currentRowChanged.connect(self._select)
        self.editor.textChanged.connect(self._changed)
        self.list.setCurrentRow(0)

    @property
    def current_key(self) -> str:
        return self.sections[max(self.list.currentRow(), 0)].key

    def set_report(self, report: Report) -> None:
        self.report = report
        self._select(self.list.currentRow())

    def select_section(self, key: str) -> None:
        for i, s in enumerate(self.sections):
            if s.key == key:
                self.list.setCurrentRow(i)

    def _select(self, row: int) -> None:
        if row < 0:
            return
        s = self.sections[row]
        self.heading.setText(s.heading)
        self.hint.setText(s.hint)
        self.refresh(s.key)

    def refresh(self, key: str) -> None:
        if self.report is None or key != self.current_key:
            return
        text = self.report.narrative.get(key, "")
        if self.editor.toPlainText() != text:
            self._loading = True
            self.editor.setPlainText(text)
            self._loading = False

    def _changed(self) -> None:
        if not self._loading and self.report is not None:
            self._on_edit(self.current_key, self.editor.toPlainText())
