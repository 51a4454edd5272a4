"""Export: Word and/or Excel, the template, a draft marked "DỰ THẢO" while errors remain; the
work runs off the GUI thread through ui.worker, then "Mở tệp" / "Mở thư mục"."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.model import Report
from app.settings import Settings
from app.storage import REPORT_SUFFIX, report_file_name
from app.validation import blocking_reason, validate
from ui import prompts
from ui.host import host_of, tell
from ui.worker import run_in_background


def available_templates(settings: Settings, kind: str | None = None,
                        level: str | None = None) -> list[tuple[str, Path, str]]:
    """The shipped templates and those of the settings' template folder, by the name and version
    their manifests give: (label, .docx file, description). Those made for the report's period
    kind and unit level come first; the others stay choosable, marked as made for other reports."""
    from app.templates.library import choosable_templates

    found: list[tuple[str, Path, str]] = []
    for info, suits in choosable_templates(settings.template_folder or None, kind, level):
        label = f"{info.name} — phiên bản {info.version}"
        label += " (có sẵn)" if info.builtin else " (của đơn vị)"
        if not suits:
            label += " — dành cho kỳ hoặc cấp khác"
        found.append((label, info.docx, info.summary()))
    return found


class ExportDialog(QDialog):
    def __init__(self, window: QWidget, report: Report, previous: Report | None,
                 path: str | None, settings: Settings, problems: list[tuple[str, str]]):
        super().__init__(window)
        from app.export.word import prestart_render

        prestart_render()  # the limited render process starts while the user chooses
        self.setWindowTitle("Xuất báo cáo")
        self.setMinimumWidth(620)
        self.report = report.copy()  # the worker gets its own copy; the user may keep typing
        self.previous = previous.copy() if previous is not None else None
        self.written: list[Path] = []
        self.exported_with: str | None = None
        self.error = ""
        self.running = False
        base = Path(path).parent if path else Path.home()
        stem = (Path(report_file_name(path)).name.removesuffix(REPORT_SUFFIX) if path
                else f"bao-cao-cchc-{report.period.key()}")
        lay = QVBoxLayout(self)
        blocking = [f for f in validate(report, previous) if f.blocking]
        self.blocked = bool(blocking or problems)
        self.state = QLabel()
        self.state.setWordWrap(True)
        if self.blocked:
            # unreadable boxes are findings too (F09): count each once
            n = len(blocking) or len(problems)
            shown = "".join(f"<br>• {escape(f.message)}" for f in blocking[:10])
            more = f"<br>… và {n - 10} mục khác (xem bảng “Kiểm tra số liệu”)." if n > 10 else ""
            what = blocking_reason(blocking) if blocking else f"còn {n} lỗi"
            self.state.setText(f"<span style='color:#b71c1c'>{what[0].upper()}{what[1:]}: chỉ có "
                               "thể xuất bản dự thảo, có dòng chữ “DỰ THẢO”."
                               f"</span>{shown}{more}")
        else:
            self.state.setText("Số liệu đã được kiểm tra, không còn lỗi: có thể xuất bản chính thức.")
        lay.addWidget(self.state)
        form = QFormLayout()
        self.want_docx = QCheckBox("Báo cáo Word (.docx)")
        self.want_docx.setChecked(True)
        self.docx = QLineEdit(str(base / f"{stem}.docx"))
        self.docx.setObjectName("exportDocx")
        self.want_xlsx = QCheckBox("Phụ lục Excel (.xlsx)")
        self.want_xlsx.setChecked(True)
        self.xlsx = QLineEdit(str(base / f"{stem}-phu-luc.xlsx"))
        self.xlsx.setObjectName("exportXlsx")
        form.addRow(self.want_docx, self._with_browse(self.docx, "Tệp Word (*.docx)"))
        form.addRow(self.want_xlsx, self._with_browse(self.xlsx, "Tệp Excel (*.xlsx)"))
        from ui.pdf_export import PdfRows

        self.pdf_rows = PdfRows(self, form, base, stem, settings.seal_size_mm)
        self.template = QComboBox()
        for label, file, about in available_templates(settings, report.period.kind,
                                                       report.unit.level):
            self.template.addItem(label, str(file))
            self.template.setItemData(self.template.count() - 1, f"{about}\n{file}", 3)  # tooltip
        last = self.template.findData(settings.last_template) if settings.last_template else -1
        if last >= 0:
            self.template.setCurrentIndex(last)  # the template of the last export
        self.settings = settings
        form.addRow("Mẫu báo cáo:", self.template)
        self.draft = QCheckBox("Bản dự thảo (có dòng chữ “DỰ THẢO”)")
        self.draft.setChecked(self.blocked)
        self.draft.setEnabled(not self.blocked)
        form.addRow("", self.draft)
        lay.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("exportMessage")
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.open_file = QPushButton("Mở tệp")
        self.open_folder = QPushButton("Mở thư mục")
        self.open_file.setEnabled(False)
        self.open_folder.setEnabled(False)
        self.open_file.clicked.connect(lambda: self._open(self.written[0]))
        self.open_folder.clicked.connect(lambda: self._open(self.written[0].parent))
        self.start = QPushButton("Xuất")
        self.start.setDefault(True)
        self.start.clicked.connect(self.run)
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        buttons.addWidget(self.open_file)
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)
        buttons.addWidget(self.start)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.want_docx.toggled.connect(self._update)
        self.want_xlsx.toggled.connect(self._update)
        self._update()
        self.template.currentIndexChanged.connect(self._draw_ahead)
        self._draw_ahead()

    def _draw_ahead(self) -> None:
        """The chosen template's figures are drawn while the user looks at the dialog, so that
        "Xuất" finds them ready (a template without figures costs one read of its text)."""
        from app.export.figures import pictures_for

        template = self.template.currentData()
        if template:
            run_in_background(lambda _p: pictures_for(self.report, self.previous, template),
                              lambda _result, _error: None)  # export draws whatever is missing

    def _with_browse(self, edit: QLineEdit, file_filter: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Chọn…")
        button.clicked.connect(lambda: self._browse(edit, file_filter))
        row.addWidget(button)
        return box

    def _browse(self, edit: QLineEdit, file_filter: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu thành", edit.text(), file_filter)
        if path:
            edit.setText(path)

    def _update(self) -> None:
        self.docx.setEnabled(self.want_docx.isChecked())
        self.template.setEnabled(self.want_docx.isChecked() or self.pdf_rows.want_pdf.isChecked())
        self.xlsx.setEnabled(self.want_xlsx.isChecked())
        self.pdf_rows.targets()
        self.start.setEnabled(not self.running and (self.want_docx.isChecked()
                                                    or self.want_xlsx.isChecked()
                                                    or self.pdf_rows.any()))

    def run(self) -> None:
        from app.export import export_report

        docx = self.docx.text().strip() if self.want_docx.isChecked() else None
        xlsx = self.xlsx.text().strip() if self.want_xlsx.isChecked() else None
        for target, suffix in ((docx, ".docx"), (xlsx, ".xlsx")):
            if not target:
                continue
            if not Path(target).parent.is_dir():
                self.message.setText(f"Thư mục “{Path(target).parent}” không tồn tại.")
                return
            if Path(target).is_dir():
                self.message.setText(f"“{target}” là một thư mục: hãy ghi tên tệp {suffix}.")
                return
            if Path(target).suffix.lower() != suffix:
                self.message.setText(f"“{Path(target).name}”: tên tệp phải kết thúc bằng {suffix}.")
                return
        existing = [t for t in (docx, xlsx) if t and Path(t).exists()]
        if existing and not prompts.ask_yes_no(
                self, "Tệp đã có",
                "Các tệp sau đã có:\n" + "\n".join(f"• {t}" for t in existing)
                + "\n\nGhi đè lên tệp cũ?", "Ghi đè", "Không ghi"):
            self.message.setText("Chưa xuất: hãy đổi tên tệp hoặc chọn ghi đè.")
            return
        if self.pdf_rows.problem():
            self.message.setText(self.pdf_rows.problem())
            return
        template = self.template.currentData() if docx else None
        self.exported_with = template
        report, previous, draft = self.report, self.previous, self.draft.isChecked()
        self.running = True
        self.written = []
        self._update()
        self.progress.setValue(0)
        self.message.setText("Đang xuất…")
        job = self.pdf_rows.wrap(
            (lambda progress: export_report(report, docx=docx, xlsx=xlsx, template=template,
                                            previous=previous, draft=draft, progress=progress))
            if docx or xlsx else None, self.template.currentData())
        run_in_background(job, self._done, self._progress)

    def _progress(self, pct: int, message: str) -> None:
        self.progress.setValue(pct)
        self.message.setText(message)

    def _done(self, result: object, error: BaseException | None) -> None:
        import html

        from app.errors import UserError
        from app.export import ExportBlocked

        self.running = False
        self._update()
        if error is not None:
            self.progress.setValue(0)
            if isinstance(error, ExportBlocked):
                self.error = str(error) + " " + " ".join(f.line() for f in error.findings[:3])
            elif isinstance(error, UserError):  # export, PDF, a template's problems with places
                self.error = "<br>".join(html.escape(p) for p in error.problems[:6])
            elif isinstance(error, OSError):
                self.error = f"Không ghi được tệp: {error.strerror or error}."
            else:
                self.error = f"Xuất báo cáo thất bại: {error}"
            self.message.setText(f"<span style='color:#b71c1c'>{self.error}</span>")
            return
        self.error = ""
        self.written = list(getattr(result, "written", []))
        if self.exported_with:
            from app.export.figures import prestart_drawing

            prestart_drawing(self.exported_with)  # for the export after the next edit
        if self.exported_with and self.exported_with != self.settings.last_template:
            from app.settings import save_settings

            self.settings.last_template = self.exported_with
            try:
                save_settings(self.settings)  # the editor's own settings object
            except OSError as exc:  # the export is done; only next time's choice is lost
                tell(host_of(self.parent()), f"Không lưu được cài đặt: {exc.strerror or exc}")
        self.progress.setValue(100)
        lines = "<br>".join(str(p) for p in self.written)
        kind = "bản dự thảo" if self.draft.isChecked() else "báo cáo"
        notes = list(getattr(result, "template_notes", []))
        more = (f"<br>Lưu ý về mẫu: {html.escape(notes[0])}"
                + (f" (và {len(notes) - 1} lưu ý khác)" if len(notes) > 1 else "")) if notes else ""
        self.message.setText(f"Đã xuất {kind}:<br>{lines}{more}")
        self.open_file.setEnabled(bool(self.written))
        self.open_folder.setEnabled(bool(self.written))
        tell(host_of(self.parent()), f"Đã xuất {kind}: {', '.join(p.name for p in self.written)}")

    @staticmethod
    def _open(path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
