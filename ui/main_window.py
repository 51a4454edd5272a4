"""The main window: navigator of pages (document details, one page per reform area, narrative),
the issues panel, menus, undo/redo and checking as you type."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from app import APP_NAME
from app.catalog import load_catalog
from app.combining import report_derived
from app.model import Entry, Report
from app.settings import Settings
from app.undo import EditCommand, SetField, SetText, SetValue
from app.validation import INVALID_RULE, Finding, validate
from ui.area_page import AreaPage
from ui.bridge import ReportBridge, ReportUndoCommand, push_edit
from ui.file_actions import FileActions
from ui.host import WindowRegistry
from ui.issues_panel import IssuesPanel
from ui.number_field import new_session
from ui.style import NAVIGATOR

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from ui.chart_page import ChartPage
    from ui.document_page import DocumentPage
    from ui.narrative_page import NarrativePage

EXTENSION_MENUS = (("Tổng hợp", "ui.consolidation"), ("Mẫu báo cáo", "ui.templates_admin"),
                   ("Ký số", "ui.pdf_menu"))


class MainWindow(FileActions, QMainWindow):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.windows = WindowRegistry()  # the extension windows, one of each kind
        self.cat = load_catalog()
        self.report: Report = Report()
        self.path: str | None = None
        self.previous: Report | None = None
        self.previous_path: str | None = None
        self.findings: list[Finding] = []
        self._shown_findings: list[Finding] = []
        self._explain_sessions: dict[str, int] = {}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.bridge = ReportBridge(self)
        self.bridge.changed.connect(self._model_changed)
        self._build_pages()
        self._build_actions()
        self.init_files()
        self.resize(1366, 768)

    def show_fitted(self) -> None:
        """Show at 1366×768 where that fits with the window frame; maximised on smaller screens
        (a 1366×768 office screen with its taskbar, a laptop at 150 % scaling)."""
        available = self.screen().availableGeometry()
        if available.width() < 1366 + 40 or available.height() < 768 + 60:
            # the size it returns to when the user restores it from maximised: fits the screen
            self.resize(available.width() * 9 // 10, available.height() * 9 // 10)
            self.showMaximized()
        else:
            self.show()

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    # -- public API for the other windows (consolidation, templates) ---------------------------
    def current_report(self) -> Report:
        return self.report

    def open_report(self, report: Report, path: str | None = None,
                    previous: Report | None = None, modified: bool = False) -> None:
        """Show a report; `modified` marks it unsaved (a recovered draft, a consolidation)."""
        self.report = report
        self.path = str(path) if path else None
        self.undo_stack.clear()
        self.bridge.attach(report)
        self.previous, self.previous_path = previous, None
        if previous is None:
            self.previous = self.find_previous(report)
        if self._document_page is not None:
            self._document_page.set_report(report)
        if self._narrative_page is not None:
            self._narrative_page.set_report(report)
        self._show_all()
        if modified:
            self.undo_stack.resetClean()
        self.setWindowModified(not self.undo_stack.isClean())
        self.update_title()
        if modified:  # a recovered draft or a consolidation exists nowhere else: keep it now
            self.changes += 1
            self.autosave_now()

    def status(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    # -- building -----------------------------------------------------------------------------
    def _build_pages(self) -> None:
        self.navigator = QListWidget()
        self.navigator.setObjectName("navigator")
        self.navigator.setStyleSheet(NAVIGATOR)
        self.navigator.setMinimumWidth(210)
        self.navigator.setMaximumWidth(300)
        self.stack = QStackedWidget()
        # the document and narrative pages are built the first time they are shown or used
        self._document_page: DocumentPage | None = None
        self._narrative_page: NarrativePage | None = None
        self.navigator.addItem("Thông tin văn bản")
        self.stack.addWidget(QWidget())
        self.area_pages: list[AreaPage] = []
        self.page_of: dict[str, AreaPage] = {}
        for area in self.cat.areas:
            page = AreaPage(self.cat, area, self)  # its rows are built when first shown
            self.area_pages.append(page)
            for key in page.keys + page.derived_keys:
                self.page_of[key] = page
            self.navigator.addItem(area.label)
            self.stack.addWidget(page)
        self.navigator.addItem("Nội dung báo cáo")
        self.stack.addWidget(QWidget())
        self.narrative_row = self.stack.count() - 1
        self._chart_page: ChartPage | None = None  # built the first time it is shown
        self.navigator.addItem("Biểu đồ")
        self.stack.addWidget(QWidget())
        self.chart_row = self.stack.count() - 1
        self.navigator.currentRowChanged.connect(self._show_page)
        self.navigator.setCurrentRow(1)
        self.issues = IssuesPanel()
        self.issues.jump.connect(self.jump_to)
        split = QSplitter()  # horizontal
        split.setObjectName("mainSplitter")
        split.addWidget(self.navigator)
        split.addWidget(self.stack)
        split.addWidget(self.issues)
        split.setStretchFactor(1, 1)
        split.setSizes([230, 800, 330])
        split.setChildrenCollapsible(False)
        self.setCentralWidget(split)
        self.completeness_label = QLabel()
        self.statusBar().addPermanentWidget(self.completeness_label)

    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None,
                tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_actions(self) -> None:
        bar = self.menuBar()
        f = bar.addMenu("&Tệp")
        self.act_new = self._action(f, "Báo cáo mới…", self.new_report, "Ctrl+N")
        self.act_open = self._action(f, "Mở…", self.open_file, "Ctrl+O")
        self.recent_menu = f.addMenu("Mở gần đây")
        self.act_save = self._action(f, "Lưu", self.save, "Ctrl+S")
        self.act_save_as = self._action(f, "Lưu thành…", self.save_as, "Ctrl+Shift+S")
        f.addSeparator()
        self.act_compare = self._action(f, "So sánh với…", self.compare_with,
                                        tip="Chọn báo cáo cùng kỳ năm trước để so sánh")
        self.act_no_compare = self._action(f, "Bỏ so sánh", self.clear_compare)
        f.addSeparator()
        self.act_export = self._action(f, "Xuất báo cáo…", self.export, "Ctrl+E")
        f.addSeparator()
        self.act_settings = self._action(f, "Cài đặt…", self.edit_settings)
        self._action(f, "Mở báo cáo mẫu", self.open_sample)
        f.addSeparator()
        self._action(f, "Thoát", self.close, "Ctrl+Q")
        e = bar.addMenu("&Sửa")
        # own actions with a fixed text (the stack's would grow with the command's name)
        self.act_undo = self._action(e, "Hoàn tác", self.undo_stack.undo, [QKeySequence("Ctrl+Z")])
        self.act_redo = self._action(e, "Làm lại", self.undo_stack.redo,
                                     [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.act_undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.act_redo.setEnabled)
        self.undo_stack.undoTextChanged.connect(self._undo_text)
        self.undo_stack.redoTextChanged.connect(self._redo_text)
        self.extension_menus: dict[str, QMenu] = {}
        self._populated: set[str] = set()
        for title, module in EXTENSION_MENUS:
            menu = bar.addMenu(title)
            self.extension_menus[module] = menu
            try:
                present = importlib.util.find_spec(module) is not None
            except ModuleNotFoundError:
                present = False
            menu.menuAction().setVisible(present)
            if present:  # imported on first use, so start-up pays only for Qt
                menu.aboutToShow.connect(lambda m=menu, n=module: self.populate_extension(m, n))
        help_menu = bar.addMenu("Trợ &giúp")
        self.act_help = self._action(help_menu, "Hướng dẫn", self.show_help, "F1")
        self.act_about = self._action(help_menu, "Giới thiệu", self.show_about)
        tools = self.addToolBar("Công cụ")
        tools.setObjectName("mainToolbar")
        tools.setMovable(False)
        tools.setProperty("toolButtonStyle", "ToolButtonTextOnly")
        for act in (self.act_new, self.act_open, self.act_save, self.act_undo, self.act_redo,
                    self.act_compare, self.act_export):
            tools.addAction(act)

    def _show_page(self, row: int) -> None:
        if row == 0:
            self.document_page  # noqa: B018 - built the first time it is shown
        elif row == self.narrative_row:
            self.narrative_page  # noqa: B018
        elif row == self.chart_row:
            self.chart_page.set_report(self.report, self.previous)  # built on first use
        else:
            page = self.stack.widget(row)
            if isinstance(page, AreaPage):
                page.ensure_built()  # the first time it is shown
        self.stack.setCurrentIndex(row)

    def _put_page(self, row: int, page: QWidget) -> None:
        """Put a page built on first use in place of its empty placeholder."""
        current = self.stack.currentIndex()
        placeholder = self.stack.widget(row)
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)

    @property
    def document_page(self) -> DocumentPage:
        if self._document_page is None:
            from ui.document_page import DocumentPage

            page = DocumentPage(self.edit_field, lambda: self.settings)
            page.set_report(self.report)
            self._put_page(0, page)
            self._document_page = page
        return self._document_page

    @property
    def narrative_page(self) -> NarrativePage:
        if self._narrative_page is None:
            from ui.narrative_page import NarrativePage

            page = NarrativePage(self.cat, self.edit_narrative)
            page.set_report(self.report)
            self._put_page(self.narrative_row, page)
            self._narrative_page = page
        return self._narrative_page

    @property
    def chart_page(self) -> ChartPage:
        if self._chart_page is None:
            from ui.chart_page import ChartPage

            page = ChartPage(self.cat)
            page.set_report(self.report, self.previous)
            self._put_page(self.chart_row, page)
            self._chart_page = page
        return self._chart_page

    def _undo_text(self, text: str) -> None:
        self.act_undo.setToolTip(f"Hoàn tác: {text}" if text else "Hoàn tác")

    def _redo_text(self, text: str) -> None:
        self.act_redo.setToolTip(f"Làm lại: {text}" if text else "Làm lại")

    def show_help(self) -> None:
        from ui.help import HelpDialog

        self.help_dialog = HelpDialog(self)
        self.help_dialog.show()

    def show_about(self) -> None:
        from ui.help import AboutDialog

        self.about_dialog = AboutDialog(self)
        self.about_dialog.show()

    def populate_extension(self, menu: QMenu, module: str) -> None:
        """Let ui.consolidation / ui.templates_admin add their actions, once."""
        if module in self._populated:
            return
        self._populated.add(module)
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            menu.menuAction().setVisible(False)
            return
        mod.populate_menu(menu, self)

    # -- edits --------------------------------------------------------------------------------
    def _push(self, command: EditCommand, text: str) -> None:
        if command.is_noop:
            return
        self._last_command: ReportUndoCommand | None = push_edit(
            self.undo_stack, getattr(self, "_last_command", None), self.report, command, text)

    def edit_value(self, key: str, value: Entry, session: int) -> None:
        self._push(SetValue.of(self.report, key, value, session), f"Sửa “{self.cat.label(key)}”")

    def edit_explanation(self, key: str, text: str, edit: QLineEdit) -> None:
        session = self._explain_sessions.get(key)
        if session is None:
            session = self._explain_sessions[key] = new_session()
            edit.editingFinished.connect(lambda k=key: self._explain_sessions.pop(k, None))
        self._push(SetText.of(self.report, "explanations", key, text, session), "Giải trình")

    def edit_narrative(self, key: str, text: str) -> None:
        if getattr(self, "_narrative_target", None) != key:
            self._narrative_target, self._narrative_session = key, new_session()
        self._push(SetText.of(self.report, "narrative", key, text, self._narrative_session),
                   "Sửa nội dung báo cáo")

    def edit_level_value(self, level: str, key: str, value: Any, session: int) -> None:
        from app.undo import SetLevelValue

        self._push(SetLevelValue.of(self.report, level, key, value, session),
                   f"Sửa “{self.cat.label(key)}” theo cấp")

    def edit_field(self, path: str, value: Any, session: int) -> None:
        self._push(SetField.of(self.report, path, value, session), "Sửa thông tin văn bản")

    def input_problem_changed(self, key: str) -> None:
        self.issues.show_issues(self._shown_findings, self.input_problems())

    def input_problems(self) -> list[tuple[str, str]]:
        return [problem for p in self.area_pages for problem in p.input_problems()]

    # -- the model changed --------------------------------------------------------------------
    def _model_changed(self, what: str, key: str) -> None:
        self.changes += 1
        if what == "value":
            page = self.page_of.get(key)
            if page is not None:
                page.value_changed(key)
                page.refresh_summary()
            self.revalidate()
        elif what == "explanations":
            self.revalidate()
            for page in self.area_pages:
                for box in page.built_boxes().values():
                    box.show_explanation(key, self.report.explanations.get(key, ""))
        elif what == "narrative":
            if self._narrative_page is not None:
                self._narrative_page.refresh(key)
        elif what == "by_level":
            for page in self.area_pages:
                page.levels_changed()
            self.revalidate()
        else:
            if self._document_page is not None:
                self._document_page.refresh()
            if what in ("unit", "period"):
                self._show_all()
            self.update_title()

    def _show_all(self) -> None:
        for page in self.area_pages:
            page.set_report(self.report, self.previous)
        self.act_no_compare.setEnabled(self.previous is not None)
        self.revalidate()

    def revalidate(self) -> None:
        """Check the whole report again (well under 2 ms) and show what changed."""
        self.findings = validate(self.report, self.previous, self.cat)
        derived = report_derived(self.report, self.cat)
        by_field: dict[str, list[Finding]] = {}
        # unreadable text is shown by its box itself (after a pause while the user types)
        shown = self._shown_findings = [f for f in self.findings if f.rule != INVALID_RULE]
        for f in shown:
            if f.fields:
                by_field.setdefault(f.fields[0], []).append(f)
        frozen = {k: tuple(v) for k, v in by_field.items()}
        for page in self.area_pages:
            page.show_findings(frozen)
            page.refresh_derived(derived)
        self.issues.show_issues(shown, self.input_problems())
        self._show_completeness()
        if self._chart_page is not None and self._chart_page.isVisible():
            self._chart_page.set_report(self.report, self.previous)  # charts follow the edits

    def _show_completeness(self) -> None:
        done_all = total_all = 0
        for i, page in enumerate(self.area_pages, start=1):
            done, total = page.completeness()
            done_all, total_all = done_all + done, total_all + total
            self.navigator.item(i).setText(f"{page.area.label}\n{done}/{total} chỉ tiêu")
        self.completeness_label.setText(f"Đã nhập {done_all}/{total_all} chỉ tiêu")

    def jump_to(self, key: str) -> None:
        if "." in key:  # a document detail ("document.place")
            self.navigator.setCurrentRow(0)
            self.document_page.focus_path(key)
            return
        page = self.page_of.get(key)
        if page is None:
            return
        self.navigator.setCurrentRow(self.stack.indexOf(page))
        page.focus_field(key)

    def update_title(self) -> None:
        from pathlib import Path

        name = Path(self.path).name if self.path else "Báo cáo mới"
        period = self.report.period.title if self.report.period.year or self.report.period.to_year else ""
        self.setWindowTitle(f"{name}[*] — {self.report.unit.name or 'chưa có tên cơ quan'}"
                            f"{', ' + period if period else ''} — {APP_NAME}")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            self.shutdown()
            event.accept()
        else:
            event.ignore()
