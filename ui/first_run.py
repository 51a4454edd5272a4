"""First run: ask once for the agency, the province and the default signer, offer the sample
report, and say where templates and data live."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.paths import builtin_templates_dir
from app.settings import Settings, config_dir, data_dir


class FirstRunDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Chào mừng đến với {APP_NAME}")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        intro = QLabel("Chương trình giúp soạn báo cáo kết quả cải cách hành chính theo Nghị định "
                       "30/2020/NĐ-CP. Hãy cho biết cơ quan của anh/chị; các thông tin này được "
                       "điền sẵn vào mỗi báo cáo mới và có thể sửa trong Tệp → Cài đặt.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.agency = QLineEdit(settings.agency_name)
        self.agency.setObjectName("firstAgency")
        self.province = QLineEdit(settings.province)
        self.province.setObjectName("firstProvince")
        self.authority = QLineEdit(settings.signer_authority)
        self.position = QLineEdit(settings.signer_position)
        self.signer = QLineEdit(settings.signer_name)
        self.signer.setObjectName("firstSigner")
        form.addRow("Tên cơ quan ban hành:", self.agency)
        form.addRow("Tỉnh, thành phố (địa danh):", self.province)
        form.addRow("Thẩm quyền ký:", self.authority)
        form.addRow("Chức vụ người ký:", self.position)
        form.addRow("Họ và tên người ký:", self.signer)
        lay.addLayout(form)
        self.open_sample = QCheckBox("Mở báo cáo mẫu để xem thử")
        self.open_sample.setChecked(True)
        lay.addWidget(self.open_sample)
        where = QLabel(
            f"Mẫu báo cáo Word có sẵn: {builtin_templates_dir()}\n"
            f"Cài đặt: {config_dir()}\n"
            f"Bản nháp tự động lưu: {data_dir()}\n"
            "Có thể chọn thêm một thư mục mẫu của đơn vị trong Cài đặt.")
        where.setWordWrap(True)
        where.setStyleSheet("color: #5f6368;")
        lay.addWidget(where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Bắt đầu")
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)

    def apply(self, settings: Settings) -> None:
        settings.agency_name = self.agency.text().strip()
        settings.province = self.province.text().strip()
        settings.signer_authority = self.authority.text().strip()
        settings.signer_position = self.position.text().strip()
        settings.signer_name = self.signer.text().strip()
