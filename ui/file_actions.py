"""File handling of the main window: new, open, save, recent files, comparison report,
autosave and recovery, settings and export entry points."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from app.model import Report
from app.recovery import Autosaver, list_recovered
from app.settings import save_settings
from app.storage import (
    OLD_REPORT_SUFFIX,
    REPORT_SUFFIX,
    ReportFileError,
    load_report,
    report_file_name,
    save_report,
)
from ui import prompts

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FILE_FILTER = "Báo cáo CCHC (*.cchc *.cchc.json);;Tất cả các tệp (*)"


def _details(report: Report) -> tuple:
    d = report.document
    return (d.symbol, d.place, tuple(d.to), tuple(d.distribution), d.signer.authority,
            d.signer.position, d.signer.name)


def _has_details(report: Report) -> bool:
    d = report.document
    return bool(d.place or d.to or d.distribution or d.signer.name or d.signer.position)


def save_problem(write, path: str) -> str:
    """Run a write; "" when it worked, else one Vietnamese line saying why it did not."""
    from app.errors import UserError

    try:
        write()
    except UserError as exc:
        return exc.one_line()
    except OSError as exc:
        return f"{path}: không ghi được tệp ({exc.strerror or exc.__class__.__name__}). Hãy chọn nơi lưu khác."
    except Exception as exc:  # noqa: BLE001 - a bug must not lose the user's work silently
        from app.errors import describe_failure

        return " ".join(describe_failure(exc))
    return ""


class AutosaveBackoff:
    """When autosave fails: say it once per distinct problem, and wait longer each time."""

    FIRST_S, MAX_S = 60.0, 600.0

    def __init__(self) -> None:
        self.problem = ""
        self.wait_s = 0.0
        self.next_at = 0.0

    def due(self) -> bool:
        import time

        return time.monotonic() >= self.next_at

    def failed(self, problem: str) -> bool:
        """Record a failure; True when the user has not been told this problem yet."""
        import time

        self.wait_s = min(self.MAX_S, self.wait_s * 2 if self.wait_s else self.FIRST_S)
        self.next_at = time.monotonic() + self.wait_s
        new = problem != self.problem
        self.problem = problem
        return new

    def succeeded(self) -> bool:
        """Reset; True when a failure had been reported (so the user hears it works again)."""
        had = bool(self.problem)
        self.problem, self.wait_s, self.next_at = "", 0.0, 0.0
        return had


class FileActions:
    """Mixed into MainWindow; every method works on `self` as the window."""

    def init_files(self: MainWindow) -> None:
        self.changes = 0
        self._kept_old_names: set[str] = set()
        self._autosaved_at = 0
        self.autosaver = Autosaver()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.apply_settings()
        self.refresh_recent()

    def apply_settings(self: MainWindow) -> None:
        self.autosave_timer.start(max(5, self.settings.autosave_interval_s) * 1000)

    # -- new, open, save ----------------------------------------------------------------------
    def new_report(self: MainWindow) -> None:
        from ui.new_report_dialog import NewReportDialog

        if not self.maybe_save():
            return
        dialog = NewReportDialog(self.settings, self)
        if dialog.exec():
            self.open_report(dialog.report())
            self.navigator.setCurrentRow(0)
            self.status("Đã tạo báo cáo mới. Kiểm tra thông tin văn bản rồi nhập số liệu.")

    def open_file(self: MainWindow) -> None:
        if not self.maybe_save():
            return
        path = self._ask_path("Mở báo cáo")
        if path:
            self.load_file(path)

    def load_file(self: MainWindow, path: str) -> bool:
        try:
            report = load_report(path)
        except ReportFileError as exc:
            prompts.show_error(self, "Không mở được báo cáo", str(exc))
            return False
        self.open_report(report, path)
        self._kept_old_names.discard(path)  # asked again, once, each time it is opened
        self._remember(path)
        self.status(f"Đã mở {path}")
        return True

    def save(self: MainWindow) -> bool:
        if not self._unreadable_ok():
            return False
        if not self.path:
            return self._save_as()
        if self.path.lower().endswith(OLD_REPORT_SUFFIX) and self._offer_new_name():
            return True
        return self._write(self.path)

    def save_as(self: MainWindow) -> bool:
        return self._unreadable_ok() and self._save_as()

    def _save_as(self: MainWindow) -> bool:
        path = self._ask_path("Lưu báo cáo", save_as=f"bao-cao-cchc-{self.report.period.key()}"
                                                    f"{REPORT_SUFFIX}")
        if not path:
            return False
        return self._write(report_file_name(path))

    def _offer_new_name(self: MainWindow) -> bool:
        """A file of an earlier version (".cchc.json", which Windows opens in the JSON editor):
        offer, once per file, to save it under the new extension; True when that was done."""
        old = self.path
        assert old is not None
        if old in self._kept_old_names:
            return False
        new = report_file_name(old)
        if Path(new).exists() or not prompts.ask_yes_no(
                self, "Lưu với đuôi tệp mới",
                f"Tệp “{Path(old).name}” có đuôi cũ .cchc.json, nên khi nháy đúp Windows mở nó "
                f"bằng chương trình khác. Lưu thành “{Path(new).name}” (đuôi {REPORT_SUFFIX}, nháy "
                "đúp là mở bằng chương trình này)? Tệp cũ được giữ nguyên.",
                f"Lưu thành {REPORT_SUFFIX}", "Giữ tên cũ"):
            self._kept_old_names.add(old)
            return False
        return self._write(new)

    def _unreadable_ok(self: MainWindow) -> bool:
        """Boxes with text that is not a number: say that nothing of them is saved, and ask."""
        if not self.report.invalid:
            return True
        lines = "\n".join(f"• {self.cat.label(k)}: “{bad.text}”"
                          for k, bad in self.report.invalid.items())
        return prompts.ask_yes_no(
            self, "Có ô số liệu viết chưa đúng",
            f"Các ô sau không phải là số nên không có giá trị:\n{lines}\n\n"
            "Nếu lưu bây giờ, các ô này được lưu là để trống (chưa báo cáo). Vẫn lưu?",
            "Vẫn lưu", "Quay lại sửa")

    def _write(self: MainWindow, path: str) -> bool:
        """Save; any failure is shown once, in one Vietnamese line, and the report stays
        modified (nothing is marked saved that was not written)."""
        problem = save_problem(lambda: save_report(self.report, path), path)
        if problem:
            prompts.show_error(self, "Không lưu được báo cáo", problem)
            self.status(f"Chưa lưu: {problem}")
            return False
        self.path = path
        self.undo_stack.setClean()
        self.autosaver.discard()
        self._remember(path)
        self.update_title()
        self.status(f"Đã lưu {path}")
        return True

    def maybe_save(self: MainWindow) -> bool:
        """True when it is all right to replace or close the report."""
        if self.undo_stack.isClean() and not self.isWindowModified():
            return True
        name = Path(self.path).name if self.path else "Báo cáo mới"
        answer = prompts.ask_save_changes(self, name)
        if answer == prompts.SAVE:
            return self.save()
        return answer == prompts.DISCARD

    def _folder(self: MainWindow) -> str:
        if self.path:
            return str(Path(self.path).parent)
        if self.settings.recent_files:
            return str(Path(self.settings.recent_files[0]).parent)
        return str(Path.home())

    def _ask_path(self: MainWindow, title: str, save_as: str = "") -> str:
        """A report file chosen by the user ("" when cancelled); `save_as`: the suggested name
        of a file to write. QFileDialog is imported here: its enums cost start-up time."""
        from PySide6.QtWidgets import QFileDialog

        if save_as:
            path, _ = QFileDialog.getSaveFileName(self, title, str(Path(self._folder()) / save_as),
                                                  FILE_FILTER)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, self._folder(), FILE_FILTER)
        return path

    # -- recent files -------------------------------------------------------------------------
    def _remember(self: MainWindow, path: str) -> None:
        self.settings.add_recent(path)
        self._save_settings()
        self.refresh_recent()

    def refresh_recent(self: MainWindow) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _c=False, p=path: self.maybe_save() and self.load_file(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_files))

    def _save_settings(self: MainWindow) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.status(f"Không lưu được cài đặt: {exc.strerror or exc}")

    # -- comparison ---------------------------------------------------------------------------
    def compare_with(self: MainWindow) -> None:
        path = self._ask_path("Báo cáo cùng kỳ năm trước")
        if path:
            self.set_previous_file(path)

    def set_previous_file(self: MainWindow, path: str) -> bool:
        try:
            previous = load_report(path)
        except ReportFileError as exc:
            prompts.show_error(self, "Không mở được báo cáo để so sánh", str(exc))
            return False
        self.previous, self.previous_path = previous, path
        self._show_all()
        warnings = [f.message for f in self.findings if f.rule in ("P04", "P05")]
        self.status(f"So sánh với {previous.unit.name}, {previous.period.title}"
                    + (f". Lưu ý: {warnings[0]}" if warnings else ""))
        return True

    def clear_compare(self: MainWindow) -> None:
        self.previous, self.previous_path = None, None
        self._show_all()

    def find_previous(self: MainWindow, report: Report) -> Report | None:
        import sys

        from app.services.drafting import find_previous

        found = find_previous(report)
        history = sys.modules.get("app.history")  # imported only when a store exists
        offline = history.offline_message() if history is not None else None
        if offline:
            self.status(offline)  # the shared store is out of reach: one line, files still work
        return found

    # -- autosave and recovery ----------------------------------------------------------------
    def autosave_now(self: MainWindow) -> None:
        """Write the recovery draft. A failure is told once (a lasting line in the status bar)
        and the next attempts back off — 1, 2, 4 … up to 10 minutes — until one succeeds."""
        if self.undo_stack.isClean() or self.changes == self._autosaved_at:
            return
        backoff: AutosaveBackoff = self.__dict__.setdefault("_autosave_backoff", AutosaveBackoff())
        if not backoff.due():
            return
        problem = save_problem(lambda: self.autosaver.save(self.report, self.path),
                               str(self.autosaver.draft))
        if problem:
            if backoff.failed(problem):
                self.statusBar().showMessage(f"Không tự động lưu được bản nháp: {problem}")
            return
        if backoff.succeeded():
            self.statusBar().showMessage("Đã tự động lưu bản nháp trở lại.", 10000)
        self._autosaved_at = self.changes

    def offer_recovery(self: MainWindow) -> bool:
        """After a crash: offer each draft left behind; True when one was restored."""
        for draft in list_recovered(self.autosaver.folder):
            when = draft.saved_at.strftime("%H:%M ngày %d/%m/%Y") if draft.saved_at else ""
            where = f"\nTệp gốc: {draft.source}" if draft.source else ""
            if prompts.ask_yes_no(self, "Khôi phục bản nháp",
                                  f"Lần trước chương trình đóng đột ngột. Có bản nháp tự động lưu "
                                  f"lúc {when}:\n{draft.title}{where}\n\nKhôi phục bản nháp này?",
                                  "Khôi phục", "Bỏ bản nháp"):
                if not self.maybe_save():  # the same question as every replacing action
                    return False  # the draft stays, offered again at the next start
                try:
                    report = draft.load()
                except ReportFileError as exc:
                    prompts.show_error(self, "Không khôi phục được", str(exc))
                    draft.discard()
                    continue
                self.open_report(report, draft.source, modified=True)
                draft.discard()
                self.autosave_now()
                self.status("Đã khôi phục bản nháp; hãy lưu lại báo cáo.")
                return True
            draft.discard()
        return False

    def shutdown(self: MainWindow) -> None:
        self.autosave_timer.stop()
        self.autosaver.discard()
        worker = sys.modules.get("ui.worker")  # not imported: no work was ever started
        if worker is not None:
            worker.wait_all()

    # -- dialogs ------------------------------------------------------------------------------
    def edit_settings(self: MainWindow) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            dialog.apply(self.settings)
            self._save_settings()
            self.apply_settings()
            self.status("Đã lưu cài đặt.")

    def export(self: MainWindow) -> None:
        from ui.export_dialog import ExportDialog

        self.export_dialog = ExportDialog(self, self.report, self.previous, self.path,
                                          self.settings, self.input_problems())
        self.export_dialog.show()

    def open_new_document(self: MainWindow, report: Report) -> None:
        """A report the program made (a consolidation) opens as a new, unsaved document,
        autosaved at once, carrying the document details of the settings — or of the report
        that was open, if the user chooses. The caller has already asked `maybe_save`."""
        from app.services.drafting import new_report

        s = self.settings
        p = report.period
        defaults = new_report(s, name=s.agency_name, level=report.unit.level, kind=p.kind,
                              year=p.year, from_year=p.from_year, to_year=p.to_year)
        source = defaults
        current = self.report
        if current is not report and _has_details(current) and \
                _details(current) != _details(defaults) and not prompts.ask_yes_no(
                    self, "Thông tin văn bản của báo cáo tổng hợp",
                    "Báo cáo tổng hợp là một văn bản mới. Lấy ký hiệu, địa danh, nơi gửi, nơi "
                    "nhận và người ký theo Cài đặt, hay theo báo cáo đang mở "
                    f"(“{current.unit.name or 'chưa có tên cơ quan'}”)?",
                    "Theo Cài đặt", "Theo báo cáo đang mở"):
            source = current
        doc = copy.deepcopy(source.document)
        doc.number, doc.date = None, None  # a new document gets its own number and date
        report.document = doc
        unit = report.unit
        unit.name = unit.name or source.unit.name
        unit.code = unit.code or source.unit.code
        unit.governing_body = unit.governing_body or source.unit.governing_body
        self.open_report(report, None, modified=True)

    def open_sample(self: MainWindow) -> None:
        from app.sample import sample_report

        if self.maybe_save():
            self.open_report(sample_report())
            self.status("Đã mở báo cáo mẫu (chưa lưu).")
