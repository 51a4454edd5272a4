"""Settings: agency and signer defaults, template folder, autosave interval. Built from the
declaration in app.settings; every field is checked before anything is kept."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.agency import AGENCY_KINDS, SIGNER_ROLES, agency_details
from app.catalog import LEVEL_LABELS
from app.settings import TITLES, Settings, apply_agency, config_dir, data_dir

CHOICES = {"level": LEVEL_LABELS, "agency_kind": {k: v[0] for k, v in AGENCY_KINDS.items()},
           "signer_role": SIGNER_ROLES}


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Cài đặt")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.widgets: dict[str, QWidget] = {}
        for f in fields(Settings):
            if f.name not in TITLES:
                continue
            value = getattr(settings, f.name)
            w: QWidget
            if f.name in CHOICES:
                w = QComboBox()
                for k, label in CHOICES[f.name].items():
                    w.addItem(label, k)
                w.setCurrentIndex(max(w.findData(value), 0))
            elif isinstance(value, int):
                w = QSpinBox()
                w.setRange(5, 3600)
                w.setValue(value)
                w.setSuffix(" giây")
            elif isinstance(value, list) or f.name == "signer_position":
                w = QPlainTextEdit("\n".join(value) if isinstance(value, list) else value)
                w.setTabChangesFocus(True)
                w.setFixedHeight(w.fontMetrics().lineSpacing() * 3 + 14)
            else:
                w = QLineEdit(value)
            w.setObjectName(f"setting_{f.name}")
            self.widgets[f.name] = w
            if f.name == "template_folder":
                row = QHBoxLayout()
                row.addWidget(w, 1)
                browse = QPushButton("Chọn…")
                browse.clicked.connect(self._choose_folder)
                row.addWidget(browse)
                form.addRow(TITLES[f.name] + ":", row)
            else:
                form.addRow(TITLES[f.name] + ":", w)
        lay.addLayout(form)
        derive = QPushButton("Điền ký hiệu, người ký, nơi gửi, nơi nhận theo loại cơ quan")
        derive.setObjectName("settingsDerive")
        derive.setToolTip("Tính lại từ loại cơ quan, tên cơ quan, tỉnh, chữ viết tắt và người ký.")
        derive.clicked.connect(self.derive_from_kind)
        lay.addWidget(derive)
        where = QLabel(f"Cài đặt được lưu tại: {config_dir()}\nBản nháp tự động lưu tại: {data_dir()}")
        where.setWordWrap(True)
        where.setStyleSheet("color: #5f6368;")
        lay.addWidget(where)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b71c1c;")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _choose_folder(self) -> None:
        w = self.widgets["template_folder"]
        assert isinstance(w, QLineEdit)
        folder = QFileDialog.getExistingDirectory(self, "Thư mục mẫu báo cáo", w.text())
        if folder:
            w.setText(folder)

    def _check_and_accept(self) -> None:
        from pathlib import Path

        folder = self.value("template_folder")
        if folder and not Path(str(folder)).is_dir():
            self.error.setText(f"Thư mục mẫu báo cáo “{folder}” không tồn tại.")
            return
        self.accept()

    def derive_from_kind(self) -> None:
        """Fill what the kind of agency decides (symbol, signer, recipients, distribution)."""
        d = agency_details(str(self.value("agency_kind")), str(self.value("agency_name")),
                           str(self.value("province")),
                           governing_body=str(self.value("governing_body")) or None,
                           code=str(self.value("unit_code")) or None,
                           role=str(self.value("signer_role")))
        probe = Settings()
        apply_agency(probe, d)
        for name in ("level", "agency_name", "governing_body", "unit_code", "default_symbol",
                     "signer_authority", "signer_position", "recipients", "distribution"):
            self.set_value(name, getattr(probe, name))

    def set_value(self, name: str, value: object) -> None:
        w = self.widgets[name]
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(w.findData(value), 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("\n".join(value) if isinstance(value, list) else str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))

    def value(self, name: str) -> object:
        w = self.widgets[name]
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            if name == "signer_position":
                return text.strip()
            return [line.strip() for line in text.splitlines() if line.strip()]
        assert isinstance(w, QLineEdit)
        return w.text().strip()

    def apply(self, settings: Settings) -> None:
        for name in self.widgets:
            setattr(settings, name, self.value(name))
