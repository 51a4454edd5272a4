"""Settings: agency and signer defaults, template folder, autosave interval. Built from the
declaration in app.settings; every field is checked before anything is kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

from app.agency import agency_details
from app.settings import Settings, apply_agency, config_dir, data_dir, declared


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Cài đặt")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.widgets: dict[str, QWidget] = {}
        self._kinds = {f.name: f.metadata["widget"] for f in declared()}
        for f in declared():
            w = self._widget(f.metadata, getattr(settings, f.name))
            w.setObjectName(f"setting_{f.name}")
            self.widgets[f.name] = w
            title = f.metadata["title"] + ":"
            if f.metadata["widget"] == "folder":
                row = QHBoxLayout()
                row.addWidget(w, 1)
                browse = QPushButton("Chọn…")
                browse.clicked.connect(lambda _=False, line=w, t=f.metadata["title"]:
                                       self._choose_folder(line, t))
                row.addWidget(browse)
                form.addRow(title, row)
            else:
                form.addRow(title, w)
            if f.name == "store_url":
                # kept in the OS credential store (Windows Credential Manager), never in settings
                self.store_password = QLineEdit()
                self.store_password.setObjectName("setting_store_password")
                self.store_password.setEchoMode(QLineEdit.EchoMode.Password)
                self.store_password.setPlaceholderText("để trống nếu không đổi mật khẩu đã lưu")
                form.addRow("Mật khẩu kho dùng chung:", self.store_password)
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

    @staticmethod
    def _widget(meta: Mapping[str, Any], value: Any) -> QWidget:
        """The editor a declaration asks for (app.settings.setting)."""
        kind = meta["widget"]
        if kind == "choice":
            box = QComboBox()
            for k, label in meta["choices"].items():
                box.addItem(label, k)
            box.setCurrentIndex(max(box.findData(value), 0))
            return box
        if kind == "number":
            spin = QSpinBox()
            spin.setRange(meta.get("minimum", 0), meta.get("maximum", 10**6))
            spin.setValue(value)
            spin.setSuffix(meta.get("suffix", ""))
            return spin
        if kind in ("lines", "text"):
            edit = QPlainTextEdit("\n".join(value) if isinstance(value, list) else value)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
            return edit
        return QLineEdit(value)

    def _choose_folder(self, line: QLineEdit, title: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, title, line.text())
        if folder:
            line.setText(folder)

    def _check_and_accept(self) -> None:
        from pathlib import Path

        for f in declared():
            folder = self.value(f.name) if f.metadata["widget"] == "folder" else ""
            if folder and not Path(str(folder)).is_dir():
                self.error.setText(f"{f.metadata['title']} “{folder}” không tồn tại.")
                return
        if not self._keep_store_password():
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

    def _keep_store_password(self) -> bool:
        """Check the shared store's address; a password typed (or written in the address) goes
        to the OS credential store, and the address is kept without it."""
        from app.errors import UserError
        from app.settings import without_password

        address = str(self.value("store_url"))
        if not address:
            return True
        from app.store.engine import parse_address, save_password

        try:
            url = parse_address(address)
            password = self.store_password.text() or url.password
            if url.get_backend_name() == "postgresql" and password:
                save_password(address, str(password))
        except UserError as exc:
            self.error.setText(exc.one_line())
            return False
        w = self.widgets["store_url"]
        assert isinstance(w, QLineEdit)
        w.setText(without_password(address))
        return True

    def value(self, name: str) -> object:
        w = self.widgets[name]
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            if self._kinds[name] == "text":
                return text.strip()
            return [line.strip() for line in text.splitlines() if line.strip()]
        assert isinstance(w, QLineEdit)
        return w.text().strip()

    def apply(self, settings: Settings) -> None:
        for name in self.widgets:
            setattr(settings, name, self.value(name))
