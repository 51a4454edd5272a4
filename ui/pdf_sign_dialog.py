"""The "Ký số" dialog: choose the PDF, the role (the person first, then the agency), the
certificate source (USB token through its PKCS#11 library, or a .p12 file), the image from the
settings; a preview of the page with the boxes; the PIN asked each time and forgotten at once.
Signing runs off the GUI thread; the signed file opens in the default viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.pdf import AGENCY_FIELD, ROLE_TITLES, SIGNER_FIELD
from ui.pdf_preview import PagePreview
from ui.worker import run_in_background

ROLES = (("nguoi_ky", "Người có thẩm quyền (ký trước)"), ("co_quan", "Cơ quan — văn thư (ký sau)"))


def signed_name(path: Path) -> Path:
    """Where the signed copy goes: beside the file, "-da-ky" added once."""
    return path if path.stem.endswith("-da-ky") else path.with_name(f"{path.stem}-da-ky.pdf")


class SignDialog(QDialog):
    def __init__(self, window: Any, pdf: str | None = None):
        super().__init__(window)
        self.window_ = window
        self.settings = window.settings
        self.setWindowTitle("Ký số tệp PDF")
        self.setMinimumSize(980, 600)
        self.state = None
        self.running = False
        self.signed: Path | None = None
        self.open_after = True
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)
        form = QFormLayout()
        left.addLayout(form)

        self.file = QLineEdit(pdf or "")
        self.file.setObjectName("signFile")
        self.file.editingFinished.connect(self.load_file)
        form.addRow("Tệp PDF:", self._browse_row(self.file, self._choose_file))
        self.role = QComboBox()
        self.role.setObjectName("signRole")
        for key, label in ROLES:
            self.role.addItem(label, key)
        self.role.currentIndexChanged.connect(self._role_changed)
        form.addRow("Ký với vai trò:", self.role)

        self.use_token = QRadioButton("USB token (PKCS#11)")
        self.use_token.setObjectName("signUseToken")
        self.use_p12 = QRadioButton("Tệp chứng thư (.p12, .pfx)")
        self.use_p12.setObjectName("signUseP12")
        group = QButtonGroup(self)
        group.addButton(self.use_token)
        group.addButton(self.use_p12)
        sources = QWidget()
        row = QHBoxLayout(sources)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.use_token)
        row.addWidget(self.use_p12)
        row.addStretch(1)
        form.addRow("Chứng thư số:", sources)
        self.library = QLineEdit(self.settings.pkcs11_library)
        self.library.setObjectName("signLibrary")
        self.library.setPlaceholderText("tệp .dll PKCS#11 do nhà cung cấp token cài (thường trong "
                                        "C:\\Windows\\System32)")
        self.library_row = self._browse_row(self.library, self._choose_library)
        form.addRow("Thư viện token:", self.library_row)
        self.slot = QSpinBox()
        self.slot.setObjectName("signSlot")
        self.slot.setRange(-1, 31)
        self.slot.setSpecialValueText("tự chọn")
        self.slot.setValue(-1)
        form.addRow("Khe token:", self.slot)
        self.p12 = QLineEdit(self.settings.p12_file)
        self.p12.setObjectName("signP12")
        self.p12_row = self._browse_row(self.p12, self._choose_p12)
        form.addRow("Tệp chứng thư:", self.p12_row)
        (self.use_p12 if self.settings.p12_file and not self.settings.pkcs11_library
         else self.use_token).setChecked(True)
        self.use_token.toggled.connect(self._source_changed)

        self.image = QLineEdit()
        self.image.setObjectName("signImage")
        self.image.editingFinished.connect(self._refresh_preview)
        self.image_label = QLabel("Ảnh chữ ký:")
        form.addRow(self.image_label, self._browse_row(self.image, self._choose_image))
        self.seal_mm = QSpinBox()
        self.seal_mm.setObjectName("signSealMm")
        self.seal_mm.setRange(20, 60)
        self.seal_mm.setSuffix(" mm")
        self.seal_mm.setValue(self.settings.seal_size_mm)
        self.seal_mm.valueChanged.connect(self._refresh_preview)
        form.addRow("Đường kính con dấu:", self.seal_mm)
        self.tsa = QLineEdit(self.settings.tsa_url)
        self.tsa.setObjectName("signTsa")
        self.tsa.setPlaceholderText("để trống: ký không kèm dấu thời gian")
        form.addRow("Máy chủ dấu thời gian:", self.tsa)
        self.out = QLineEdit()
        self.out.setObjectName("signOut")
        form.addRow("Lưu bản đã ký:", self._browse_row(self.out, self._choose_out))
        self.pin = QLineEdit()
        self.pin.setObjectName("signPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("hỏi mỗi lần ký, không lưu lại")
        self.pin.returnPressed.connect(self.sign)
        form.addRow("Mã PIN:", self.pin)

        self.message = QLabel()
        self.message.setObjectName("signMessage")
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.sign_button = QPushButton("Ký số")
        self.sign_button.setObjectName("signButton")
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.sign)
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(close)
        left.addLayout(buttons)
        self.preview = PagePreview()
        outer.addWidget(self.preview, 2)
        self._source_changed()
        self._role_changed()
        if pdf:
            self.load_file()

    # -- rows ---------------------------------------------------------------------------------
    def _browse_row(self, edit: QLineEdit, slot: Any) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Chọn…")
        button.clicked.connect(slot)
        row.addWidget(button)
        return box

    def _open_name(self, title: str, edit: QLineEdit, file_filter: str) -> bool:
        path, _ = QFileDialog.getOpenFileName(self, title, edit.text(), file_filter)
        if path:
            edit.setText(path)
        return bool(path)

    def _choose_file(self) -> None:
        if self._open_name("Chọn tệp PDF", self.file, "Tệp PDF (*.pdf)"):
            self.load_file()

    def _choose_library(self) -> None:
        self._open_name("Thư viện PKCS#11 của token", self.library,
                        "Thư viện (*.dll *.so *.dylib);;Mọi tệp (*)")

    def _choose_p12(self) -> None:
        self._open_name("Tệp chứng thư số", self.p12, "Chứng thư PKCS#12 (*.p12 *.pfx)")

    def _choose_image(self) -> None:
        if self._open_name("Ảnh PNG nền trong suốt", self.image, "Ảnh PNG (*.png)"):
            self._refresh_preview()

    def _choose_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu bản đã ký", self.out.text(),
                                              "Tệp PDF (*.pdf)")
        if path:
            self.out.setText(path)

    def current_role(self) -> str:
        return self.role.currentData()

    def _source_changed(self) -> None:
        token = self.use_token.isChecked()
        self.library_row.setEnabled(token)
        self.slot.setEnabled(token)
        self.p12_row.setEnabled(not token)

    def _role_changed(self) -> None:
        signer = self.current_role() == "nguoi_ky"
        annex = self.state is not None and self.state.kind == "phu_luc"
        self.image_label.setText("Ảnh chữ ký:" if signer else "Ảnh con dấu:")
        self.image.setText(self.settings.signature_image if signer else self.settings.seal_image)
        self.image.setEnabled(not annex)
        self.seal_mm.setEnabled(not signer and not annex)
        self._refresh_preview()

    # -- the file -------------------------------------------------------------------------------
    def load_file(self) -> None:
        text = self.file.text().strip()
        if not text:
            return
        path = Path(text)
        if not self.out.text().strip() or self.signed is None:
            self.out.setText(str(signed_name(path)))
        self.preview.clear("Đang đọc tệp PDF…")
        self.sign_button.setEnabled(False)
        from app.pdf.fields import pdf_state

        run_in_background(lambda _progress: pdf_state(path), self._loaded)

    def _loaded(self, state: Any, error: BaseException | None) -> None:
        from app.errors import UserError

        if error is not None:
            self.state = None
            self.sign_button.setEnabled(False)
            text = (str(error) if isinstance(error, UserError)
                    else "Không đọc được tệp PDF (lỗi nội bộ).")
            self.preview.clear(text)
            self._say(text, error=True)
            return
        self.state = state
        role = state.next_role()
        self.sign_button.setEnabled(role is not None)  # nothing left to sign, or not ours
        if state.kind is None:
            self._say("Tệp này không phải PDF do chương trình xuất (không có ô chữ ký): hãy xuất "
                      "báo cáo sang PDF rồi ký.", error=True)
        elif role is None:
            self._say("Tệp đã đủ chữ ký số (người có thẩm quyền và cơ quan).")
        else:
            self.role.setCurrentIndex(self.role.findData(role))
            self._say(f"Đến lượt {ROLE_TITLES[role]} ký.")
        self._role_changed()

    def _refresh_preview(self) -> None:
        if self.state is None:
            return
        image = self.image.text().strip()
        field = SIGNER_FIELD if self.current_role() == "nguoi_ky" else AGENCY_FIELD
        images = {field: image} if image and self.image.isEnabled() else {}
        self.preview.show_state(self.state, images, self.seal_mm.value())

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(f"<span style='color:#b71c1c'>{text}</span>" if error else text)

    # -- signing -------------------------------------------------------------------------------
    def _remember(self) -> None:
        """Everything but the PIN goes to the settings for next time."""
        s = self.settings
        s.pkcs11_library = self.library.text().strip()
        s.p12_file = self.p12.text().strip()
        s.tsa_url = self.tsa.text().strip()
        s.seal_size_mm = self.seal_mm.value()
        image = self.image.text().strip()
        if self.image.isEnabled():
            if self.current_role() == "nguoi_ky":
                s.signature_image = image
            else:
                s.seal_image = image
        if hasattr(self.window_, "_save_settings"):
            self.window_._save_settings()

    def sign(self) -> None:
        from app.pdf.sign import P12Source, TokenSource, sign_pdf

        if self.running:
            return
        src, out = self.file.text().strip(), self.out.text().strip()
        pin = self.pin.text()
        self.pin.clear()  # the PIN lives only for this one signing
        if not src:
            self._say("Chưa chọn tệp PDF cần ký.", error=True)
            return
        if not out.lower().endswith(".pdf"):
            self._say("Tên tệp lưu bản đã ký phải có đuôi .pdf.", error=True)
            return
        if not pin:
            self._say("Hãy nhập mã PIN của chứng thư số.", error=True)
            return
        if self.use_token.isChecked():
            source = TokenSource(self.library.text().strip(),
                                 None if self.slot.value() < 0 else self.slot.value())
        else:
            source = P12Source(self.p12.text().strip())
        self._remember()
        role = self.current_role()
        image = self.image.text().strip() if self.image.isEnabled() else None
        seal_mm, tsa = self.seal_mm.value(), self.tsa.text().strip()
        self.running = True
        self.sign_button.setEnabled(False)
        self._say("Đang ký…")
        run_in_background(
            lambda _progress: sign_pdf(src, out, role, source, pin, image=image or None,
                                       seal_mm=seal_mm, tsa_url=tsa),
            self._signed)

    def _signed(self, result: Any, error: BaseException | None) -> None:
        from app.errors import UserError
        from app.pdf.sign import iso_time

        self.running = False
        self.sign_button.setEnabled(True)
        if error is not None:
            self._say(str(error) if isinstance(error, UserError)
                      else "Lỗi nội bộ khi ký (không phải do tệp của bạn).", error=True)
            return
        self.signed = Path(result.out)
        self.window_._pdf_last = str(result.out)
        who = ROLE_TITLES[result.role]
        self._say(f"Đã ký ({who}): {result.signer_name}, {iso_time(result.time)}.<br>"
                  f"Đã lưu: {result.out}")
        if hasattr(self.window_, "status"):
            self.window_.status(f"Đã ký số ({who}): {Path(result.out).name}")
        # the next signature goes on the signed copy
        self.file.setText(str(result.out))
        self.out.setText(str(result.out))
        self.load_file()
        if self.open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.out)))
