"""New report: unit, level, period kind and year, pre-filled from the settings."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.catalog import LEVEL_LABELS
from app.formatting import PERIOD_KIND_LABELS
from app.model import Report
from app.services.drafting import likely_period, new_report
from app.settings import Settings
from app.vocabulary import PHASE


class NewReportDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Báo cáo mới")
        form = QFormLayout(self)
        self.name = QLineEdit(settings.agency_name)
        self.name.setObjectName("newName")
        self.name.setMinimumWidth(360)
        self.level = QComboBox()
        for k, label in LEVEL_LABELS.items():
            self.level.addItem(label, k)
        self.level.setCurrentIndex(max(self.level.findData(settings.level), 0))
        kind, year = likely_period(date.today())
        self.kind = QComboBox()
        for k, label in PERIOD_KIND_LABELS.items():
            self.kind.addItem(label, k)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(year)
        self.from_year = QSpinBox()
        self.from_year.setRange(1990, 2100)
        self.from_year.setValue(year - 4)
        self.from_label = QLabel("từ năm")
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.from_label)
        row.addWidget(self.from_year)
        row.addWidget(QLabel("năm"))
        row.addWidget(self.year)
        form.addRow("Cơ quan báo cáo:", self.name)
        form.addRow("Cấp:", self.level)
        form.addRow("Kỳ báo cáo:", row)
        note = QLabel("Số, ký hiệu, địa danh, nơi nhận và người ký được điền theo Cài đặt; "
                      "có thể sửa ở trang “Thông tin văn bản”.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tạo báo cáo")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        phase = self.kind.currentData() == PHASE
        self.from_year.setVisible(phase)
        self.from_label.setVisible(phase)

    def report(self) -> Report:
        kind = self.kind.currentData()
        year = self.year.value()
        return new_report(
            self.settings, name=self.name.text().strip(), level=self.level.currentData(),
            kind=kind, year=None if kind == PHASE else year,
            from_year=min(self.from_year.value(), year) if kind == PHASE else None,
            to_year=year if kind == PHASE else None,
        )
