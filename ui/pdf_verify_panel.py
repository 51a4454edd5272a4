"""The signature check panel, docked in the main window: a PDF, optionally the root certificate
to trust (a file the user provides; no network), and a row per signature — signer, time,
intact, changed after signing, trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.worker import run_in_background

COLUMNS = ("Chữ ký", "Người ký", "Thời gian", "Nguyên vẹn", "Sau khi ký", "Tin cậy")
GOOD, BAD = QColor("#1b5e20"), QColor("#b71c1c")


class VerifyPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdfVerifyPanel")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.file = QLineEdit()
        self.file.setObjectName("verifyFile")
        self.trust = QLineEdit()
        self.trust.setObjectName("verifyTrust")
        self.trust.setPlaceholderText("tùy chọn: chứng thư gốc (.cer) để xét độ tin cậy")
        form.addRow("Tệp PDF:", self._row(self.file, "Tệp PDF (*.pdf)"))
        form.addRow("Chứng thư gốc:", self._row(self.trust, "Chứng thư (*.cer *.crt *.pem *.der)"))
        lay.addLayout(form)
        self.check_button = QPushButton("Kiểm tra")
        self.check_button.setObjectName("verifyButton")
        self.check_button.clicked.connect(self.check)
        lay.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignRight)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("verifyTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("verifySummary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.checks: list[Any] = []

    def _row(self, edit: QLineEdit, file_filter: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Chọn…")

        def choose() -> None:
            path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp", edit.text(), file_filter)
            if path:
                edit.setText(path)

        button.clicked.connect(choose)
        row.addWidget(button)
        return box

    def check(self) -> None:
        from app.pdf.verify import verify_pdf

        path, trust = self.file.text().strip(), self.trust.text().strip() or None
        if not path:
            self._summary("Chưa chọn tệp PDF.", False)
            return
        self.check_button.setEnabled(False)
        self.table.setRowCount(0)
        self.summary.setText("Đang kiểm tra…")
        run_in_background(lambda _progress: verify_pdf(path, trust), self._checked)

    def _summary(self, text: str, ok: bool) -> None:
        self.summary.setText(f"<span style='color:{(GOOD if ok else BAD).name()}'>{text}</span>")

    def _checked(self, checks: Any, error: BaseException | None) -> None:
        from app.errors import UserError
        from app.pdf.sign import iso_time
        from app.pdf.verify import FIELD_TITLES

        self.check_button.setEnabled(True)
        if error is not None:
            self._summary(str(error) if isinstance(error, UserError)
                          else "Lỗi nội bộ khi kiểm tra chữ ký.", False)
            return
        self.checks = list(checks)
        if not self.checks:
            self._summary(f"{Path(self.file.text()).name}: không có chữ ký số nào.", False)
            return
        self.table.setRowCount(len(self.checks))
        for r, c in enumerate(self.checks):
            after = ("BỊ SỬA" if c.changed_after else
                     "chỉ thêm chữ ký" if c.later_revisions else "không thay đổi")
            trusted = "—" if c.trusted is None else ("có" if c.trusted else "KHÔNG")
            title = FIELD_TITLES.get(c.field, c.field)
            cells = [(title[:1].upper() + title[1:], None), (c.signer, None),
                     (iso_time(c.time) if c.time else "không rõ", None),
                     ("có" if c.intact else "KHÔNG", c.intact), (after, not c.changed_after),
                     (trusted, c.trusted)]
            for col, (text, good) in enumerate(cells):
                item = QTableWidgetItem(text)
                if good is not None:
                    item.setForeground(GOOD if good else BAD)
                self.table.setItem(r, col, item)
        ok = all(c.ok for c in self.checks)
        self._summary("Mọi chữ ký nguyên vẹn" + (", tin cậy theo chứng thư gốc." if
                                                  self.trust.text().strip() else ".")
                      if ok else "Có chữ ký không hợp lệ hoặc tài liệu bị sửa sau khi ký.", ok)


def show_verify_dock(window: Any, pdf: str | None = None) -> VerifyPanel:
    """The panel in a dock at the bottom of the main window (made once), wide enough for its
    six columns."""
    dock = getattr(window, "_pdf_verify_dock", None)
    if dock is None:
        dock = QDockWidget("Kiểm tra chữ ký số", window)
        dock.setObjectName("pdfVerifyDock")
        dock.setWidget(VerifyPanel(dock))
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        window._pdf_verify_dock = dock
    panel = dock.widget()
    if pdf:
        panel.file.setText(pdf)
    dock.show()
    dock.raise_()
    return panel
