"""First run: ask once what kind of agency issues the reports, its name, governing body and
abbreviation, the province and who signs; show what follows from it (symbol, signature block,
recipients, distribution — app.agency), offer the sample report, say where things live."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.agency import AGENCY_KINDS, SIGNER_ROLES, agency_details, header_lines
from app.paths import builtin_templates_dir
from app.settings import Settings, apply_agency, config_dir, data_dir


class FirstRunDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Chào mừng đến với {APP_NAME}")
        self.setMinimumWidth(640)
        lay = QVBoxLayout(self)
        intro = QLabel("Chương trình giúp soạn báo cáo kết quả cải cách hành chính theo Nghị định "
                       "30/2020/NĐ-CP. Hãy cho biết cơ quan của anh/chị: ký hiệu văn bản, người "
                       "ký, nơi gửi và nơi nhận được điền sẵn theo đó vào mỗi báo cáo mới và có "
                       "thể sửa trong Tệp → Cài đặt.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("firstKind")
        for k, (label, _level, _committee) in AGENCY_KINDS.items():
            self.kind.addItem(label, k)
        self.kind.setCurrentIndex(max(self.kind.findData(settings.agency_kind), 0))
        self.province = QLineEdit(settings.province)
        self.province.setObjectName("firstProvince")
        self.province.setPlaceholderText("ví dụ: Ninh Bình")
        self.agency = QLineEdit(settings.agency_name)
        self.agency.setObjectName("firstAgency")
        self.governing = QLineEdit(settings.governing_body)
        self.governing.setObjectName("firstGoverning")
        self.code = QLineEdit(settings.unit_code)
        self.code.setObjectName("firstCode")
        self.code.setMaximumWidth(160)
        self.role = QComboBox()
        self.role.setObjectName("firstRole")
        for k, label in SIGNER_ROLES.items():
            self.role.addItem(label, k)
        self.role.setCurrentIndex(max(self.role.findData(settings.signer_role), 0))
        self.signer = QLineEdit(settings.signer_name)
        self.signer.setObjectName("firstSigner")
        form.addRow("Loại cơ quan:", self.kind)
        form.addRow("Tỉnh, thành phố (địa danh):", self.province)
        form.addRow("Tên cơ quan ban hành:", self.agency)
        form.addRow("Cơ quan chủ quản:", self.governing)
        form.addRow("Chữ viết tắt của cơ quan:", self.code)
        form.addRow("Người ký:", self.role)
        form.addRow("Họ và tên người ký:", self.signer)
        lay.addLayout(form)
        self.preview = QLabel()
        self.preview.setObjectName("firstPreview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("background: #f6f8fa; border: 1px solid #d0d7de; padding: 6px;")
        lay.addWidget(self.preview)
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
        # the derived boxes follow the others until the user types in them
        self._typed: set[str] = set()
        self.agency.textEdited.connect(lambda _t: self._user_typed("agency"))
        self.governing.textEdited.connect(lambda _t: self._user_typed("governing"))
        self.code.textEdited.connect(lambda _t: self._user_typed("code"))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.province.textEdited.connect(lambda _t: self._update())
        self.role.currentIndexChanged.connect(lambda _i: self._update())
        self.signer.textEdited.connect(lambda _t: self._update())
        if settings.agency_name:
            self._typed.update(("agency", "governing", "code"))
        self._update()

    def _user_typed(self, which: str) -> None:
        self._typed.add(which)
        self._update()

    def _kind_changed(self) -> None:
        # another kind of agency: its name, governing body and abbreviation are derived anew
        self._typed.clear()
        self.agency.clear()
        self._update()

    def details(self):  # noqa: ANN201 - an app.agency.AgencyDetails
        kind = self.kind.currentData()
        return agency_details(
            kind, self.agency.text() if "agency" in self._typed else "", self.province.text(),
            governing_body=self.governing.text().strip() if "governing" in self._typed else None,
            code=self.code.text().strip() if "code" in self._typed else None,
            role=self.role.currentData())

    def _update(self) -> None:
        d = self.details()
        committee = AGENCY_KINDS[self.kind.currentData()][2]
        if "agency" not in self._typed and self.agency.text() != d.agency_name:
            self.agency.setText(d.agency_name)
        self.agency.setPlaceholderText("ví dụ: Ủy ban nhân dân xã An Bình" if committee
                                       else "ví dụ: Sở Nội vụ")
        if "governing" not in self._typed:
            self.governing.setText(d.governing_body)
        if "code" not in self._typed:
            self.code.setText(d.unit_code)
        header = "<br>".join(escape(line) for line in header_lines(d.agency_name))
        governing = escape(d.governing_body.upper())
        sign = "<br>".join(escape(x) for x in ([d.signer_authority] if d.signer_authority else [])
                           + d.signer_position.splitlines())
        name = escape(self.signer.text().strip()) or "<i>(họ và tên)</i>"
        self.preview.setText(
            "<b>Báo cáo sẽ có:</b><br>"
            f"Tiêu đề: {governing + '<br>' if governing else ''}<b>{header or '…'}</b><br>"
            f"Số, ký hiệu: Số: …/{escape(d.default_symbol)}<br>"
            f"Kính gửi: {escape('; '.join(d.recipients))}<br>"
            f"Nơi nhận: {escape('; '.join(d.distribution))}<br>"
            f"Chữ ký: <b>{sign}</b> — {name}")

    def apply(self, settings: Settings) -> None:
        d = self.details()
        settings.agency_kind = self.kind.currentData()
        settings.signer_role = self.role.currentData()
        settings.province = " ".join(self.province.text().split())
        apply_agency(settings, d)
        settings.signer_name = self.signer.text().strip()
