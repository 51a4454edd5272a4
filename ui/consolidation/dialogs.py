"""Windows of the "Tổng hợp" menu. No domain logic here: every check, sum and file format is in
app/; these widgets show what app/ returns. Slow work goes through ui.worker.run_in_background."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalog import LEVEL_LABELS, LEVELS
from app.errors import UserError
from app.formatting import PERIOD_KIND_LABELS, format_count, format_short_date
from app.model import Period
from app.units import RegisteredUnit, UnitListError, unit_key
from app.vocabulary import COLLECTED_KINDS
from ui import prompts
from ui.host import host_of, replacing_host, tell
from ui.worker import run_in_background

PERIOD_CHOICES = COLLECTED_KINDS


def _current_period(main_window: Any) -> Period:
    try:
        p = main_window.current_report().period
        if p.kind in PERIOD_CHOICES and p.year:
            return Period(p.kind, p.year)
    except Exception:  # no report open yet
        pass
    return Period("nam", date.today().year)


class PeriodPicker(QWidget):
    """Kind of period and year."""

    changed = Signal()

    def __init__(self, period: Period, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox()
        for k in PERIOD_CHOICES:
            self.kind.addItem(PERIOD_KIND_LABELS[k], k)
        self.kind.setCurrentIndex(max(0, PERIOD_CHOICES.index(period.kind)) if period.kind in PERIOD_CHOICES else 4)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(period.year or date.today().year)
        self.year.setGroupSeparatorShown(False)
        lay.addWidget(self.kind, 2)
        lay.addWidget(QLabel("năm"))
        lay.addWidget(self.year, 1)
        self.kind.currentIndexChanged.connect(self.changed)
        self.year.valueChanged.connect(self.changed)

    def period(self) -> Period:
        return Period(self.kind.currentData(), self.year.value())

    def set_period(self, period: Period) -> None:
        self.kind.setCurrentIndex(PERIOD_CHOICES.index(period.kind))
        self.year.setValue(int(period.year))  # type: ignore[arg-type]


def reasons_list(reasons: list[str]) -> str:
    """Reasons one a line, as a list (a single reason stays a plain sentence)."""
    reasons = [r.strip() for r in reasons if r.strip()]
    if len(reasons) <= 1:
        return reasons[0] if reasons else ""
    return "\n".join(f"• {r}" for r in reasons)


def _item(text: str, sort_key: Any = None) -> QTableWidgetItem:
    it = _SortItem(text)
    it.setData(Qt.ItemDataRole.UserRole, text if sort_key is None else sort_key)
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return it


def _period_bar(main_window: Any, action: QPushButton) -> tuple[QHBoxLayout, PeriodPicker]:
    """The top row of the import and board windows: "Kỳ báo cáo" [period] … [action]."""
    top = QHBoxLayout()
    top.addWidget(QLabel("Kỳ báo cáo"))
    picker = PeriodPicker(_current_period(main_window))
    top.addWidget(picker)
    top.addStretch(1)
    top.addWidget(action)
    return top, picker


def _result_table(cols: tuple[str, ...], stretch: tuple[int, ...]) -> QTableWidget:
    """A read-only, sortable table of results; the `stretch` columns take the spare width."""
    table = QTableWidget(0, len(cols))
    table.setHorizontalHeaderLabels(cols)
    for c in stretch:
        table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.setSortingEnabled(True)
    return table


def _append_row(table: QTableWidget, cells: tuple[QTableWidgetItem, ...]) -> None:
    """One row, each cell with its whole text as tooltip (long file names, reasons)."""
    i = table.rowCount()
    table.insertRow(i)
    for c, it in enumerate(cells):
        it.setToolTip(it.text())
        table.setItem(i, c, it)


def _store_line() -> QLabel:
    """One line above a window's table when the store cannot be reached (hidden otherwise)."""
    line = QLabel("")
    line.setObjectName("store_offline")
    line.setStyleSheet("color: #B00020;")
    line.setVisible(False)
    return line


def _show_offline(dialog: QDialog, line: QLabel, error: BaseException) -> None:
    """The store is out of reach: say so in the window's line and the main window's status bar
    (report files still open and save; nothing is queued)."""
    text = str(error)
    line.setText(text)
    line.setToolTip(text)
    line.setVisible(True)
    tell(host_of(getattr(dialog, "main_window", None)), text)


def _close_button(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.rejected.connect(dialog.reject)
    return buttons


class _SortItem(QTableWidgetItem):
    def __lt__(self, other: QTableWidgetItem) -> bool:  # sort by the stored key, not the text
        a, b = self.data(Qt.ItemDataRole.UserRole), other.data(Qt.ItemDataRole.UserRole)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def _load_register(parent: QWidget) -> list[RegisteredUnit]:
    from app.units import load_register

    try:
        return load_register()
    except UnitListError as exc:
        prompts.show_error(parent, "Danh sách đơn vị", str(exc))
        return []


# ------------------------------------------------------------------------------- unit register


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UnitListError(f"“{text}” không phải là ngày (viết dạng 01/07/2025).")


class UnitRegisterDialog(QDialog):
    """Edit the units of the province; import them from a simple Excel list."""

    COLS = ("Tên đơn vị", "Cấp", "Mã", "Hoạt động từ ngày", "Đến ngày")

    def __init__(self, main_window: Any = None):
        super().__init__(main_window if isinstance(main_window, QWidget) else None)
        self.main_window = main_window
        self.setWindowTitle("Danh sách đơn vị")
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Các sở, ban, ngành và đơn vị hành chính gửi số liệu. Đơn vị đã sáp nhập: "
                             "ghi ngày kết thúc hoạt động, không xóa."))
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(self.COLS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(self.COLS)):  # the headers are read whole, never clipped
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_btn = QPushButton("Thêm đơn vị")
        self.remove_btn = QPushButton("Xóa dòng chọn")
        self.import_btn = QPushButton("Nhập từ tệp Excel…")
        for b in (self.add_btn, self.remove_btn, self.import_btn):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = _close_button(self)
        self.save_btn = buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        lay.addWidget(buttons)
        self.add_btn.clicked.connect(lambda: self.add_row(RegisteredUnit("", "xa")))
        self.remove_btn.clicked.connect(self.remove_selected)
        self.import_btn.clicked.connect(self.pick_import)
        buttons.accepted.connect(self.save)
        for u in _load_register(self):
            self.add_row(u)

    def add_row(self, u: RegisteredUnit) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(u.name))
        combo = QComboBox()
        for lvl in LEVELS:
            combo.addItem(LEVEL_LABELS[lvl], lvl)
        combo.setCurrentIndex(LEVELS.index(u.level) if u.level in LEVELS else 3)
        self.table.setCellWidget(r, 1, combo)
        self.table.setItem(r, 2, QTableWidgetItem(u.code))
        self.table.setItem(r, 3, QTableWidgetItem(format_short_date(u.active_from) if u.active_from else ""))
        self.table.setItem(r, 4, QTableWidgetItem(format_short_date(u.active_to) if u.active_to else ""))

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def units(self) -> list[RegisteredUnit]:
        """The table as units; raises UnitListError naming the row."""
        out = []
        for r in range(self.table.rowCount()):
            def text(c: int, r: int = r) -> str:
                it = self.table.item(r, c)
                return it.text().strip() if it else ""
            name = text(0)
            if not name:
                continue
            try:
                out.append(RegisteredUnit(name, self.table.cellWidget(r, 1).currentData(), text(2),
                                          _parse_date(text(3)), _parse_date(text(4))))
            except UnitListError as exc:
                raise UnitListError(f"Dòng {r + 1} (“{name}”): {exc}") from None
        return out

    def import_file(self, path: str) -> None:
        from app.units import import_unit_list, merge_units

        try:
            incoming = import_unit_list(path)
            merged, added, updated = merge_units(self.units(), incoming)
        except UnitListError as exc:
            self.message.setText(str(exc))
            prompts.show_error(self, "Không nhập được danh sách", str(exc))
            return
        self.table.setRowCount(0)
        for u in merged:
            self.add_row(u)
        self.message.setText(f"Đã nhập {format_count(len(incoming))} đơn vị từ {Path(path).name}: "
                             f"{format_count(added)} đơn vị mới, {format_count(updated)} đơn vị cập nhật. "
                             f"Bấm “Lưu” để ghi.")

    def pick_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn danh sách đơn vị", "", "Bảng tính Excel (*.xlsx)")
        if path:
            self.import_file(path)

    def save(self) -> bool:
        from app.units import save_register

        try:
            units = self.units()
            save_register(units)
        except (UserError, OSError) as exc:  # a bad entry, a disk error, the shared store offline
            self.message.setText(str(exc))
            prompts.show_error(self, "Không lưu được danh sách đơn vị", str(exc))
            return False
        self.message.setText(f"Đã lưu {format_count(len(units))} đơn vị.")
        tell(host_of(self.main_window), f"Đã lưu danh sách {format_count(len(units))} đơn vị.")
        return True


# ------------------------------------------------------------------------------- intake


class IntakeDialog(QDialog):
    """Write the intake workbook of one unit, or of every active unit into a folder."""

    done = Signal(list)

    def __init__(self, main_window: Any = None):
        super().__init__(main_window if isinstance(main_window, QWidget) else None)
        self.main_window = main_window
        self.setWindowTitle("Tạo phiếu số liệu cho đơn vị")
        self.resize(620, 260)
        self.register = _load_register(self)
        form = QFormLayout(self)
        self.period = PeriodPicker(_current_period(main_window))
        form.addRow("Kỳ báo cáo", self.period)
        self.unit = QComboBox()
        form.addRow("Đơn vị", self.unit)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(Path.home()))
        browse = QPushButton("Chọn thư mục…")
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form.addRow("Lưu vào thư mục", folder_row)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        form.addRow(self.progress)
        self.message = QLabel("" if self.register else
                              "Chưa có danh sách đơn vị: mở “Danh sách đơn vị…” để nhập trước.")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        buttons = _close_button(self)
        self.ok = buttons.addButton("Tạo phiếu", QDialogButtonBox.ButtonRole.AcceptRole)
        form.addRow(buttons)
        browse.clicked.connect(self._browse)
        buttons.accepted.connect(self.generate)
        self.period.changed.connect(self._fill_units)
        self._fill_units()

    def _fill_units(self) -> None:
        period = self.period.period()
        self.unit.clear()
        active = [u for u in self.register if u.expected_in(period)]
        self.unit.addItem(f"Tất cả đơn vị đang hoạt động ({format_count(len(active))})", None)
        for u in active:
            self.unit.addItem(f"{u.name} — {u.level_label}", u)

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu phiếu", self.folder.text())
        if d:
            self.folder.setText(d)

    def generate(self) -> None:
        from app.intake import write_intakes

        folder = Path(self.folder.text().strip())
        if not folder.is_dir():
            self.message.setText(f"Thư mục “{folder}” không tồn tại.")
            return
        period = self.period.period()
        chosen = self.unit.currentData()
        units = [chosen.to_unit()] if chosen else [
            self.unit.itemData(i).to_unit() for i in range(1, self.unit.count())]
        if not units:
            self.message.setText("Không có đơn vị nào để tạo phiếu.")
            return
        self.ok.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, len(units))

        def work(progress):
            return write_intakes(folder, units, period,
                                 progress=lambda i, n: progress(i, f"{i}/{n}"))

        def finished(paths, error):
            self.ok.setEnabled(True)
            self.progress.setVisible(False)
            if error is not None:
                from app.errors import describe_failure

                text = " ".join(describe_failure(error))
                self.message.setText(f"Không tạo được phiếu: {text}")
                return
            self.message.setText(f"Đã tạo {format_count(len(paths))} phiếu số liệu {period.title} "
                                 f"trong “{folder}”.")
            tell(host_of(self.main_window), self.message.text())
            self.done.emit(paths)

        self._thread = run_in_background(work, finished, lambda i, _m: self.progress.setValue(i))


# ------------------------------------------------------------------------------- import


class ImportDialog(QDialog):
    """Drop or pick many files; each is accepted or refused with its reasons; a unit's newer
    submission replaces its older one after confirmation; the batch is stored in one
    transaction (nothing half-imported)."""

    finished_import = Signal()
    COLS = ("Tệp", "Đơn vị", "Kết quả", "Lý do / ghi chú")

    def __init__(self, main_window: Any = None):
        super().__init__(main_window if isinstance(main_window, QWidget) else None)
        self.main_window = main_window
        self.setWindowTitle("Nhận số liệu của đơn vị")
        self.resize(1000, 560)
        self.setAcceptDrops(True)
        lay = QVBoxLayout(self)
        self.pick_btn = QPushButton("Chọn tệp…")
        top, self.period = _period_bar(main_window, self.pick_btn)
        lay.addLayout(top)
        lay.addWidget(QLabel("Kéo thả các phiếu số liệu (.xlsx) và tệp báo cáo (.cchc) vào đây, "
                             "hoặc bấm “Chọn tệp…”."))
        self.store_line = _store_line()
        lay.addWidget(self.store_line)
        self.table = _result_table(self.COLS, stretch=(3,))
        lay.addWidget(self.table)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        lay.addWidget(self.progress)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        # forms another installation made (or old unsigned ones): refused, unless an
        # administrator, having checked with the unit, accepts them explicitly
        self.foreign_btn = QPushButton("Vẫn nhận phiếu do nơi khác tạo…")
        self.foreign_btn.setVisible(False)
        self.foreign_btn.clicked.connect(self.accept_foreign)
        lay.addWidget(self.foreign_btn)
        lay.addWidget(_close_button(self))
        self.pick_btn.clicked.connect(self.pick)
        self.busy = False
        self.foreign_paths: list[str] = []
        self._paths: list[str] = []
        self.probe_store()

    def probe_store(self) -> None:
        """Off the window's thread: can the store be reached? If not, one line says so and
        importing waits (nothing is queued)."""
        from app.history import History

        def work(_progress):
            with History() as h:
                return h.where

        def done(_where, error) -> None:
            from app.history import StoreOffline

            if isinstance(error, StoreOffline):
                _show_offline(self, self.store_line, error)
            else:
                self.store_line.setVisible(False)

        run_in_background(work, done)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt name
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        files: list[str] = []
        for p in paths:
            q = Path(p)
            if q.is_dir():
                files += [str(x) for x in sorted(q.iterdir())
                          if x.is_file() and x.name.lower().endswith((".xlsx", ".cchc", ".json"))]
            else:
                files.append(p)
        if files:
            self.import_files(files)

    def pick(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Chọn tệp số liệu", "", "Phiếu số liệu và báo cáo (*.xlsx *.cchc *.json);;Mọi tệp (*)")
        if files:
            self.import_files(files)

    def import_files(self, paths: list[str], accept_foreign: bool = False) -> None:
        from app.services.collection import prepare_import

        if self.busy:
            return
        self.busy = True
        self._paths = list(paths)
        self.foreign_btn.setVisible(False)
        self.pick_btn.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, len(paths))
        period, register = self.period.period(), _load_register(self)

        def work(progress):
            return prepare_import(paths, period, register,
                                  progress=lambda i, _n: progress(i, ""),
                                  accept_foreign=accept_foreign)

        run_in_background(work, self._store, lambda i, _m: self.progress.setValue(i))

    def _store(self, plan, error) -> None:
        from app.services.collection import commit_import

        self.progress.setVisible(False)
        self.pick_btn.setEnabled(True)
        self.busy = False
        if error is not None:
            from app.history import StoreOffline

            if isinstance(error, StoreOffline):
                _show_offline(self, self.store_line, error)
            prompts.show_failure(self, "Không nhận được số liệu", error)
            return
        self.store_line.setVisible(False)
        confirmed: set[str] = set()
        to_replace = plan.to_replace
        if to_replace:
            lines = "\n".join(
                f"• {c.submission.unit.name}: bản đã nhận {c.previous.file} "
                f"({format_short_date(c.previous.received.date())}, {c.previous.by_whom}) "
                f"→ bản mới {c.submission.file}"
                for c in to_replace[:15])
            more = f"\n… và {format_count(len(to_replace) - 15)} đơn vị khác" if len(to_replace) > 15 else ""
            if prompts.ask_yes_no(self, "Thay bản đã nhận?",
                                  f"{format_count(len(to_replace))} đơn vị đã có số liệu "
                                  f"{plan.period.title}. Thay bằng bản mới?\n\n{lines}{more}",
                                  yes="Thay bằng bản mới", no="Giữ bản cũ"):
                confirmed = {c.submission.key for c in to_replace}
        try:
            result = commit_import(plan, confirmed)
        except UserError as exc:
            prompts.show_failure(self, "Không ghi được kho lịch sử", exc)
            return
        label = {"added": "Đã nhận", "replaced": "Đã thay bản cũ", "unchanged": "Đã có (trùng)",
                 "would_replace": "Giữ bản cũ", "older": "Không thay (bản đã nhận mới hơn)"}
        rows: list[tuple[str, str, str, str]] = [
            (Path(r.file).name, r.unit.name if r.unit else "", "Từ chối", reasons_list(r.problems))
            for r in result.refused]
        for r in result.stored:
            note = reasons_list(r.submission.warnings)
            if r.status == "would_replace":
                note = (f"Đơn vị đã có bản {r.previous.file} ({r.previous.by_whom}); "
                        f"người dùng chọn giữ bản cũ.")
            elif r.status == "older":
                note = (f"Bản đã nhận {r.previous.file} ({format_short_date(r.previous.received.date())}, "
                        f"{r.previous.by_whom}) mới hơn tệp này; giữ bản đã nhận.")
            elif r.status == "unchanged" and r.previous is not None:
                note = f"Cùng số liệu với bản {r.previous.file} ({r.previous.by_whom})."
            rows.append((Path(r.submission.file).name, r.submission.unit.name, label[r.status], note))
        self._show(rows)
        self.summary.setText(result.summary())
        by_name = {Path(p).name: p for p in self._paths}
        self.foreign_paths = [by_name[Path(r.file).name] for r in result.refused
                              if r.foreign and Path(r.file).name in by_name]
        self.foreign_btn.setVisible(bool(self.foreign_paths))
        tell(host_of(self.main_window), self.summary.text())
        self.finished_import.emit()

    def accept_foreign(self) -> None:
        """The administrator's explicit "accept anyway" for forms signed elsewhere; the row
        checks (each key with its label) and every rule still apply."""
        names = "\n".join(f"• {Path(p).name}" for p in self.foreign_paths[:15])
        if prompts.ask_yes_no(
                self, "Vẫn nhận phiếu do nơi khác tạo?",
                f"Các phiếu sau không do cài đặt này của Sở phát hành (hoặc là phiếu mẫu cũ không "
                f"có chữ ký), nên chương trình không xác nhận được đơn vị và kỳ báo cáo ghi trong "
                f"phiếu:\n\n{names}\n\nChỉ nhận khi đã xác minh với đơn vị gửi. Vẫn nhận?",
                yes="Vẫn nhận", no="Không nhận"):
            self.import_files(self.foreign_paths, accept_foreign=True)

    def _show(self, rows) -> None:
        """One row per file with its latest result: a file imported again replaces its row."""
        self.table.setSortingEnabled(False)
        for row in rows:
            for r in range(self.table.rowCount() - 1, -1, -1):
                if self.table.item(r, 0).text() == row[0]:
                    self.table.removeRow(r)
            _append_row(self.table, tuple(_item(text) for text in row))
        self.table.resizeRowsToContents()
        self.table.setSortingEnabled(True)

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self.table.item(r, c).text() for c in range(len(self.COLS)))
                for r in range(self.table.rowCount())]


# ------------------------------------------------------------------------------- board


class BoardDialog(QDialog):
    """Which units reported for a period — on time or late — with warnings or refused files,
    and which are missing; who imported each unit's figures, and the selected unit's audit trail.
    Sortable; exportable to Excel. Refreshes itself when another specialist imports into the
    shared store (polls the store's newest change every POLL_MS); a store that cannot be reached
    is one line above the table."""

    COLS = ("Đơn vị", "Mã", "Cấp", "Tình trạng", "Ngày nhận", "Tệp", "Người nhận", "Ghi chú")
    POLL_MS = 5000

    def __init__(self, main_window: Any = None, today: date | None = None):
        super().__init__(main_window if isinstance(main_window, QWidget) else None)
        self.main_window = main_window
        self.today = today
        self.setWindowTitle("Tình hình nộp số liệu")
        self.resize(1100, 600)
        lay = QVBoxLayout(self)
        self.export_btn = QPushButton("Xuất Excel…")
        top, self.period = _period_bar(main_window, self.export_btn)
        lay.addLayout(top)
        self.store_line = _store_line()
        lay.addWidget(self.store_line)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = _result_table(self.COLS, stretch=(0, 7))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        from ui.chart_view import ChartView

        self.chart = ChartView(min_height=220)  # the same counts as a chart beside the table
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([760, 340])
        lay.addWidget(split, 3)
        lay.addWidget(QLabel("Nhật ký của đơn vị đang chọn (ai nhận, lúc nào, tệp nào):"))
        self.trail = QListWidget()
        self.trail.setObjectName("board_audit_trail")
        lay.addWidget(self.trail, 1)
        lay.addWidget(_close_button(self))
        self.export_btn.clicked.connect(self.pick_export)
        self.period.changed.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self.show_trail)
        self.board = None
        self.seen_change: int | None = None
        self._polling = False
        self.refresh()
        self.poll_timer = QTimer(self)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start(self.POLL_MS)

    def refresh(self) -> None:
        from app.charts.data import board_chart
        from app.completeness import STATUS_ORDER, board_from_history
        from app.history import History, HistoryError, StoreOffline

        try:
            with History() as h:
                self.seen_change = h.last_change()
                self.board = board_from_history(self.period.period(), h,
                                                register=_load_register(self), today=self.today)
        except StoreOffline as exc:
            _show_offline(self, self.store_line, exc)
            return
        except HistoryError as exc:
            prompts.show_error(self, "Không mở được kho lịch sử", str(exc))
            return
        self.store_line.setVisible(False)
        self.summary.setText(self.board.summary())
        self.chart.set_chart(board_chart(self.board))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(0)
        for r in self.board.rows:
            _append_row(self.table, (
                _item(r.name),
                _item(r.code),
                _item(LEVEL_LABELS.get(r.level, r.level)),
                _item(r.status_label, STATUS_ORDER[r.status]),
                _item(format_short_date(r.received.date()) if r.received else "",
                      r.received.isoformat() if r.received else ""),
                _item(r.file),
                _item(r.imported_by),
                _item(r.note),
            ))
            self.table.item(self.table.rowCount() - 1, 0).setData(
                Qt.ItemDataRole.UserRole + 1, unit_key(r.name, r.code))
        self.table.setSortingEnabled(True)
        self.table.sortItems(3, Qt.SortOrder.AscendingOrder)  # the worst first
        self.table.setColumnWidth(3, 180)
        self.table.resizeRowsToContents()
        self.show_trail()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self.table.resizeRowsToContents()  # wrapped notes measured at the shown column widths

    def show_trail(self) -> None:
        """The audit trail of the selected unit, oldest first, one line per change."""
        from app.history import History, HistoryError

        self.trail.clear()
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            self.trail.addItem("Chọn một đơn vị trong bảng để xem ai đã nhận số liệu của đơn vị.")
            return
        key = self.table.item(rows.pop(), 0).data(Qt.ItemDataRole.UserRole + 1)
        try:
            with History() as h:
                events = h.audit(self.period.period(), key)
        except HistoryError as exc:
            self.trail.addItem(str(exc))
            return
        for e in events:
            self.trail.addItem(e.line())
        if not events:
            self.trail.addItem("Chưa có thay đổi nào của đơn vị này trong kho.")

    def poll(self) -> None:
        """Off the window's thread: has anyone changed the store since the last look?"""
        from app.history import History

        if self._polling or not self.isVisible():
            return
        self._polling = True

        def work(_progress):
            with History() as h:
                return h.last_change()

        def done(change, error) -> None:
            from app.history import StoreOffline

            self._polling = False
            if isinstance(error, StoreOffline):
                _show_offline(self, self.store_line, error)
            elif error is None and (change != self.seen_change or self.store_line.isVisible()):
                self.refresh()  # another specialist imported (or the server is back)

        run_in_background(work, done)

    def export_to(self, path: str) -> Path | None:
        from app.completeness import export_board

        if self.board is None:
            return None
        try:
            out = export_board(self.board, path)
        except OSError as exc:
            prompts.show_error(self, "Không ghi được tệp", f"{path}: {exc.strerror}")
            return None
        tell(host_of(self.main_window), f"Đã xuất bảng tình hình nộp: {out}")
        return out

    def pick_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Xuất tình hình nộp số liệu",
                                              f"Tinh_hinh_nop_{self.period.period().key()}.xlsx",
                                              "Bảng tính Excel (*.xlsx)")
        if path:
            self.export_to(path if path.lower().endswith(".xlsx") else path + ".xlsx")


# ------------------------------------------------------------------------------- consolidate


def consolidate_period(main_window: Any, period: Period | None = None, on_done=None) -> None:
    """Consolidate every stored submission of the period (off the GUI thread) and open the
    result in the editor, unsaved, so that the drafter can edit its figures before export."""
    from app.model import Unit
    from app.services.collection import consolidate_stored

    period = period or _current_period(main_window)
    parent = main_window if isinstance(main_window, QWidget) else None
    # the result replaces the open report: the same question as New and Open, asked first
    replacing = replacing_host(main_window)
    if replacing is not None and not replacing.maybe_save():
        if on_done:
            on_done(None, None)
        return
    register = _load_register(parent) if parent is not None else []
    current = main_window.current_report()
    unit = Unit(current.unit.name, current.unit.code, "tinh", current.unit.governing_body) \
        if current.unit.name and current.unit.level == "tinh" else None

    def work(progress):
        progress(50, "")
        return consolidate_stored(period, register, unit)

    def finished(result, error):
        if error is not None:
            prompts.show_failure(parent, "Không tổng hợp được", error)
        elif result.report is None:
            prompts.show_error(parent, "Chưa có số liệu",
                               f"Chưa nhận số liệu {period.title} của đơn vị nào "
                               f"(Tổng hợp → Nhận số liệu của đơn vị…).")
        else:
            if replacing is not None:
                replacing.open_new_document(result.report)
            else:
                main_window.open_report(result.report, None, modified=True)
            gaps = len(result.missing) + len(result.not_combined)
            main_window.status(
                f"Đã tổng hợp {format_count(len(result.accepted))} đơn vị ({period.title})"
                + (f"; {format_count(gaps)} chỉ tiêu thiếu số liệu hoặc cần người soạn điền." if gaps else "."))
        if on_done:
            on_done(result, error)

    run_in_background(work, finished)


class ConsolidateDialog(QDialog):
    """Choose the period, then consolidate every stored submission of it into a new report."""

    def __init__(self, main_window: Any = None):
        super().__init__(main_window if isinstance(main_window, QWidget) else None)
        self.main_window = main_window
        self.setWindowTitle("Tổng hợp số liệu các đơn vị")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        self.run_btn = QPushButton("Tổng hợp")
        self.run_btn.setDefault(True)
        top, self.period = _period_bar(main_window, self.run_btn)
        lay.addLayout(top)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        lay.addWidget(_close_button(self))
        self.period.changed.connect(self.refresh)
        self.run_btn.clicked.connect(self.run)
        self.refresh()

    def refresh(self) -> None:
        from app.history import History, HistoryError

        period = self.period.period()
        try:
            with History() as h:
                n = len(h.submissions(period))
        except HistoryError as exc:
            self.note.setText(str(exc))
            self.run_btn.setEnabled(False)
            return
        self.run_btn.setEnabled(n > 0)
        self.note.setText(
            f"Đã nhận số liệu {period.title} của {format_count(n)} đơn vị. Kết quả mở thành một "
            "báo cáo mới (chưa lưu); báo cáo đang mở được hỏi lưu trước."
            if n else f"Chưa nhận số liệu {period.title} của đơn vị nào "
                      "(Tổng hợp → Nhận số liệu của đơn vị…).")

    def run(self) -> None:
        self.run_btn.setEnabled(False)
        consolidate_period(self.main_window, self.period.period(),
                           on_done=lambda result, _e: self.accept() if result else self.refresh())
