"""Document details: issuing and governing body, number and symbol, place and date, recipients,
distribution list and signer — with defaults from the settings."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.catalog import LEVEL_LABELS
from app.formatting import PERIOD_KIND_LABELS, format_number_line, format_place_date
from app.model import Period, Report
from app.settings import Settings
from app.undo import get_field
from app.vocabulary import PHASE
from ui.number_field import new_session
from ui.style import PREVIEW, page_title

Edit = Callable[[str, Any, int], None]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class DocumentPage(QScrollArea):
    def __init__(self, on_edit: Edit, settings: Callable[[], Settings],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._on_edit = on_edit
        self._settings = settings
        self._loading = False
        self._sessions: dict[QObject, int] = {}
        self.report: Report | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 12, 16, 16)
        title = QLabel("Thông tin văn bản")
        page_title(title)
        outer.addWidget(title)
        self.preview = QLabel()
        self.preview.setObjectName("documentPreview")
        self.preview.setStyleSheet(PREVIEW)
        self.preview.setWordWrap(True)
        outer.addWidget(self.preview)

        self.governing = self._line("unit.governing_body")
        self.agency = self._line("unit.name")
        self.issuer = self._text("document.issuer_lines", 2)
        self.issuer.setToolTip("Tên cơ quan ban hành như ở tiêu đề văn bản, ngắt dòng ở chỗ "
                               "anh/chị chọn. Để trống: tự xuống dòng trước tên tỉnh.")
        self.code = self._line("unit.code")
        self.level = QComboBox()
        for k, label in LEVEL_LABELS.items():
            self.level.addItem(label, k)
        self.level.activated.connect(lambda _i: self._emit("unit.level", self.level.currentData(),
                                                           self.level))
        self.kind = QComboBox()
        for k, label in PERIOD_KIND_LABELS.items():
            self.kind.addItem(label, k)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setGroupSeparatorShown(False)
        self.from_year = QSpinBox()
        self.from_year.setRange(1990, 2100)
        self.kind.activated.connect(lambda _i: self._period_edited())
        self.year.valueChanged.connect(lambda _v: self._period_edited())
        self.from_year.valueChanged.connect(lambda _v: self._period_edited())

        unit_box = QGroupBox("Cơ quan và kỳ báo cáo")
        form = QFormLayout(unit_box)
        form.addRow("Cơ quan chủ quản:", self.governing)
        form.addRow("Cơ quan ban hành:", self.agency)
        form.addRow("Tiêu đề (ngắt dòng):", self.issuer)
        form.addRow("Chữ viết tắt:", self.code)
        form.addRow("Cấp:", self.level)
        period_row = QHBoxLayout()
        period_row.addWidget(self.kind)
        self.from_label = QLabel("từ năm")
        period_row.addWidget(self.from_label)
        period_row.addWidget(self.from_year)
        period_row.addWidget(QLabel("năm"))
        period_row.addWidget(self.year)
        period_row.addStretch(1)
        form.addRow("Kỳ báo cáo:", period_row)
        outer.addWidget(unit_box)

        self.number = QSpinBox()
        self.number.setRange(0, 99999)
        self.number.setSpecialValueText("chưa cấp số")
        self.number.valueChanged.connect(
            lambda v: self._emit("document.number", v or None, self.number))
        self.symbol = self._line("document.symbol")
        self.place = self._line("document.place")
        self.has_date = QCheckBox("Ghi ngày")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.has_date.toggled.connect(lambda _c: self._date_edited())
        self.date.dateChanged.connect(lambda _d: self._date_edited())
        self.data_window = QLineEdit()
        self.data_window.setObjectName("document.data_window")
        self.data_window.setToolTip(
            "Dòng ghi thời gian chốt số liệu, in dưới đoạn mở đầu. Để trống thì dùng dòng mặc "
            "định theo chế độ báo cáo (hiện mờ trong ô); sửa khi tỉnh chốt số liệu khác.")
        self.data_window.textEdited.connect(
            lambda text: self._emit("document.data_window", text.strip() or None,
                                    self.data_window))
        self.data_window.installEventFilter(self)
        self.to = self._text("document.to", 3)
        self.distribution = self._text("document.distribution", 5)
        self.authority = self._line("document.signer.authority")
        self.position = self._text("document.signer.position", 2)
        self.signer = self._line("document.signer.name")

        doc_box = QGroupBox("Số, ký hiệu, địa danh và ngày ban hành")
        form = QFormLayout(doc_box)
        number_row = QHBoxLayout()
        number_row.addWidget(self.number)
        number_row.addWidget(QLabel("/"))
        number_row.addWidget(self.symbol, 1)
        form.addRow("Số và ký hiệu:", number_row)
        form.addRow("Địa danh:", self.place)
        date_row = QHBoxLayout()
        date_row.addWidget(self.has_date)
        date_row.addWidget(self.date)
        date_row.addStretch(1)
        form.addRow("Ngày ban hành:", date_row)
        form.addRow("Thời gian số liệu:", self.data_window)
        outer.addWidget(doc_box)
        send_box = QGroupBox("Nơi gửi, nơi nhận và người ký")
        form = QFormLayout(send_box)
        form.addRow("Kính gửi (mỗi dòng một nơi):", self.to)
        form.addRow("Nơi nhận (mỗi dòng một nơi):", self.distribution)
        form.addRow("Thẩm quyền ký:", self.authority)
        form.addRow("Chức vụ người ký:", self.position)
        form.addRow("Họ và tên người ký:", self.signer)
        defaults = QPushButton("Điền theo cài đặt")
        defaults.setToolTip("Điền các ô còn trống bằng giá trị mặc định trong Cài đặt.")
        defaults.clicked.connect(self.fill_defaults)
        form.addRow("", defaults)
        outer.addWidget(send_box)
        outer.addStretch(1)
        self.setWidget(body)

    # -- widgets ------------------------------------------------------------------------------
    def _line(self, path: str) -> QLineEdit:
        w = QLineEdit()
        w.setObjectName(path)
        w.textEdited.connect(lambda text: self._emit(path, text.strip(), w))
        w.installEventFilter(self)
        return w

    def _text(self, path: str, lines: int) -> QPlainTextEdit:
        w = QPlainTextEdit()
        w.setObjectName(path)
        w.setTabChangesFocus(True)
        w.setFixedHeight(w.fontMetrics().lineSpacing() * lines + 14)
        as_list = path != "document.signer.position"

        def changed() -> None:
            text = w.toPlainText()
            self._emit(path, _lines(text) if as_list else text.strip(), w)

        w.textChanged.connect(changed)
        w.installEventFilter(self)
        return w

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self._sessions[obj] = new_session()  # each visit to a box is one undo step
        return False

    def _emit(self, path: str, value: Any, widget: QObject) -> None:
        if self._loading or self.report is None:
            return
        if widget not in self._sessions:
            self._sessions[widget] = new_session()
        self._on_edit(path, value, self._sessions[widget])

    def _period_edited(self) -> None:
        kind = self.kind.currentData()
        self.from_year.setVisible(kind == PHASE)
        self.from_label.setVisible(kind == PHASE)
        if kind == PHASE:
            frm = min(self.from_year.value(), self.year.value())
            period = Period(kind, None, frm, self.year.value())
        else:
            period = Period(kind, self.year.value())
        self._emit("period", period, self.kind)

    def _date_edited(self) -> None:
        self.date.setEnabled(self.has_date.isChecked())
        d = self.date.date().toPython() if self.has_date.isChecked() else None
        self._emit("document.date", d, self.date)

    def fill_defaults(self) -> None:
        """Fill blank document fields from the settings (one undo step per field)."""
        if self.report is None:
            return
        s = self._settings()
        pairs = [
            ("unit.name", s.agency_name), ("unit.governing_body", s.governing_body),
            ("document.issuer_lines", list(s.issuer_lines)),
            ("unit.code", s.unit_code), ("document.symbol", s.default_symbol),
            ("document.place", s.province), ("document.to", list(s.recipients)),
            ("document.distribution", list(s.distribution)),
            ("document.signer.authority", s.signer_authority),
            ("document.signer.position", s.signer_position),
            ("document.signer.name", s.signer_name),
        ]
        for path, value in pairs:
            if not get_field(self.report, path) and value:
                self._on_edit(path, copy.deepcopy(value), new_session())

    def focus_path(self, path: str) -> None:
        """Put the cursor in the box of a detail ("document.place"), e.g. from the issues panel."""
        target = {"document.number": self.number, "document.date": self.has_date,
                  "unit.level": self.level, "period": self.kind}.get(path)
        if target is None:
            target = self.findChild(QWidget, path)
        if target is not None:
            self.ensureWidgetVisible(target, 50, 80)
            target.setFocus()

    # -- from the model -----------------------------------------------------------------------
    def set_report(self, report: Report) -> None:
        self.report = report
        self.refresh()

    def refresh(self) -> None:
        r = self.report
        if r is None:
            return
        self._loading = True
        try:
            for w, value in ((self.governing, r.unit.governing_body), (self.agency, r.unit.name),
                             (self.code, r.unit.code), (self.symbol, r.document.symbol),
                             (self.place, r.document.place),
                             (self.authority, r.document.signer.authority),
                             (self.signer, r.document.signer.name),
                             (self.data_window, r.document.data_window or "")):
                if w.text().strip() != value:
                    w.setText(value)
            for t, text in ((self.to, "\n".join(r.document.to)),
                            (self.distribution, "\n".join(r.document.distribution)),
                            (self.issuer, "\n".join(r.document.issuer_lines)),
                            (self.position, r.document.signer.position)):
                if _lines(t.toPlainText()) != _lines(text):
                    t.setPlainText(text)
            self.level.setCurrentIndex(max(self.level.findData(r.unit.level), 0))
            self.kind.setCurrentIndex(max(self.kind.findData(r.period.kind), 0))
            self.year.setValue(r.period.report_year)
            giai_doan = r.period.kind == PHASE
            self.from_year.setValue(r.period.from_year or r.period.report_year)
            self.from_year.setVisible(giai_doan)
            self.from_label.setVisible(giai_doan)
            self.number.setValue(r.document.number or 0)
            self.has_date.setChecked(r.document.date is not None)
            self.date.setEnabled(r.document.date is not None)
            d = r.document.date or date.today()
            self.date.setDate(QDate(d.year, d.month, d.day))
        finally:
            self._loading = False
        from app.agency import header_lines
        from app.periods import default_data_window

        self.data_window.setPlaceholderText(default_data_window(r))
        auto = header_lines(r.unit.name)
        self.issuer.setPlaceholderText(
            "Để trống thì tiêu đề là:\n" + "\n".join(auto) if auto else "")
        self.preview.setText(
            f"<b>{format_number_line(r.document.number, r.document.symbol)}</b> · "
            f"<i>{format_place_date(r.document.place, r.document.date)}</i><br>"
            f"Báo cáo kết quả cải cách hành chính {r.period.title}")
