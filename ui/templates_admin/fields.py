"""The field reference browser (search, copy to clipboard) and the admins' guide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from ui.host import host_of, tell


def _fold(text: str) -> str:
    """Lower case without diacritics, so "kiem tra" finds "kiểm tra"."""
    from app.formatting import fold

    return fold(text)


def tag_for(key: str) -> str:
    """What to paste into Word for a field."""
    if "<" in key:
        return "{{ " + key.split(".")[0] + ". }}"
    return "{{ " + key + " }}"


class FieldBrowser(QDialog):
    def __init__(self, parent=None):
        from app.export.context import field_reference

        super().__init__(parent)
        self.setWindowTitle("Tra cứu trường dùng trong mẫu")
        self.resize(980, 640)
        self.rows = field_reference()
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Gõ vài chữ để tìm (tên trường hoặc ý nghĩa, có dấu hay không dấu đều "
                             "được). Chọn một dòng rồi bấm “Chép” để dán vào Word."))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm trường, ví dụ: hồ sơ đúng hạn")
        self.search.setClearButtonEnabled(True)
        lay.addWidget(self.search)
        self.table = QTableWidget(len(self.rows), 3)
        self.table.setHorizontalHeaderLabels(["Tên trường", "Ý nghĩa", "Ví dụ (báo cáo mẫu)"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        hdr = self.table.horizontalHeader()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 260)
        for i, (key, desc, sample) in enumerate(self.rows):
            for j, text in enumerate((key, desc, sample)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(i, j, item)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.count = QLabel()
        row.addWidget(self.count, 1)
        self.copy_button = QPushButton("Chép {{ trường }}")
        self.copy_button.setToolTip("Chép thẻ của trường đang chọn để dán vào mẫu Word")
        row.addWidget(self.copy_button)
        close = QPushButton("Đóng")
        row.addWidget(close)
        lay.addLayout(row)
        self.search.textChanged.connect(self.apply_filter)
        self.copy_button.clicked.connect(self.copy_selected)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.copy_row(r))
        close.clicked.connect(self.close)
        self.apply_filter("")

    def apply_filter(self, text: str) -> None:
        words = _fold(text).split()
        shown = 0
        for i, row in enumerate(self.rows):
            hay = _fold(" ".join(row))
            visible = all(w in hay for w in words)
            self.table.setRowHidden(i, not visible)
            shown += visible
        self.count.setText(f"{shown}/{len(self.rows)} trường")

    def copy_row(self, row: int) -> str:
        text = tag_for(self.rows[row][0])
        QGuiApplication.clipboard().setText(text)
        tell(host_of(self.parent()), f"Đã chép {text} — dán vào mẫu Word bằng Ctrl+V.")
        self.count.setText(f"Đã chép {text}")
        return text

    def copy_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.copy_row(rows[0].row())


class GuideDialog(QDialog):
    def __init__(self, parent=None):
        from app.templates.guide import CONSTRUCTS, INTRO, filters_markdown

        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sửa mẫu báo cáo")
        self.resize(860, 700)
        lay = QVBoxLayout(self)
        view = QTextBrowser()
        view.setOpenExternalLinks(False)
        view.setMarkdown(INTRO + "\n" + CONSTRUCTS + "\n" + filters_markdown() +
                         "\n\nDanh sách đầy đủ các trường: menu **Mẫu báo cáo ▸ Tra cứu trường "
                         "dùng trong mẫu**.\n")
        lay.addWidget(view)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.view = view
        view.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
