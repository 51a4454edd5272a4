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

from app.settings import Settings, config_dir, data_dir, declared


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
        lay.addLayout(form)
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
        self.accept()

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
