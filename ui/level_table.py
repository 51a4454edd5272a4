"""The figures by level (`Report.by_level`): a small table on the TTHC page — one row per
indicator of the dossier block and the TTHC counts, one column per level of local government
of the period (cấp tỉnh, cấp huyện before 1/7/2025, cấp xã). A blank cell is "not given",
never 0; numbers are read and written the Vietnamese way ("1.675")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalog import Catalog
from app.formatting import ParseError, format_input, parse_number
from app.model import Report
from app.vocabulary import LEVEL_LABELS
from ui.number_field import new_session
from ui.style import muted, sub_title

# (level, key, number or None, session)
LevelEdit = Callable[[str, str, int | float | None, int], None]


class LevelTable(QWidget):
    """Edits go to `on_edit(level, key, value, session)`; `refresh()` shows the report again."""

    def __init__(self, cat: Catalog, on_edit: LevelEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.cat = cat
        self._on_edit = on_edit
        self.report: Report | None = None
        self.levels: tuple[str, ...] = ()
        self.keys: tuple[str, ...] = cat.level_keys
        self._loading = False
        self.problem = ""  # the last unreadable text, shown under the table
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        head = QLabel("Số liệu theo cấp chính quyền")
        sub_title(head)
        lay.addWidget(head)
        hint = QLabel("Số liệu của từng cấp (tổng hợp từ các đơn vị hoặc lấy từ Cổng dịch vụ "
                      "công của tỉnh). Ô để trống là “chưa có số liệu”, khác với số 0; tổng các "
                      "cấp được đối chiếu với số liệu chung của báo cáo (quy tắc P03).")
        hint.setWordWrap(True)
        muted(hint)
        lay.addWidget(hint)
        self.table = QTableWidget(len(self.keys), 0)
        self.table.setObjectName("byLevelTable")
        self.table.setVerticalHeaderLabels(
            [f"{cat.label(k)} ({cat.measure(k)})" for k in self.keys])
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setMinimumHeight(self.table.verticalHeader().length() + 40)
        self.table.itemChanged.connect(self._changed)
        lay.addWidget(self.table)
        self.message = QLabel()
        self.message.setObjectName("byLevelProblem")
        self.message.setStyleSheet("color:#b71c1c")
        self.message.setWordWrap(True)
        self.message.hide()
        lay.addWidget(self.message)
        self._session = new_session()

    def set_report(self, report: Report) -> None:
        self.report = report
        levels = report.period.tier_levels
        if levels != self.levels:
            self.levels = levels
            self.table.setColumnCount(len(levels))
            self.table.setHorizontalHeaderLabels([LEVEL_LABELS[lv] for lv in levels])
        self.refresh()

    def refresh(self) -> None:
        """Show the report's figures by level."""
        if self.report is None:
            return
        self._loading = True
        try:
            for i, key in enumerate(self.keys):
                unit = self.cat.indicators[key].unit
                for j, level in enumerate(self.levels):
                    text = format_input(unit, self.report.level_value(level, key))
                    item = self.table.item(i, j)
                    if item is None:
                        item = QTableWidgetItem()
                        item.setTextAlignment(0x0082)  # right | vertical centre
                        self.table.setItem(i, j, item)
                    if item.text() != text:
                        item.setText(text)
        finally:
            self._loading = False

    def cell(self, level: str, key: str) -> QTableWidgetItem:
        """The cell of a level's figure (tests and jumps)."""
        item = self.table.item(self.keys.index(key), self.levels.index(level))
        assert item is not None
        return item

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._loading or self.report is None:
            return
        key, level = self.keys[item.row()], self.levels[item.column()]
        ind = self.cat.indicators[key]
        text = item.text().strip()
        if not text:
            value = None
        else:
            try:
                value = parse_number(text, ind.unit).value
            except ParseError as exc:
                self.problem = (f"{LEVEL_LABELS[level]} — {ind.label}: {exc}")
                self.message.setText(self.problem)
                self.message.show()
                self.refresh()  # the cell shows the figure the report holds
                return
        self.problem = ""
        self.message.hide()
        self._session = new_session()
        self._on_edit(level, key, value, self._session)
        self.refresh()
