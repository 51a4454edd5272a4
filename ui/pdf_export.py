"""The PDF rows of the export dialog: the report and the annex as sign-ready PDF/A files
(app.pdf.export), converted on the worker thread after the Word and Excel files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget


class PdfRows:
    """Two checkable rows (report PDF, annex PDF) added to the export dialog's form."""

    def __init__(self, dialog: Any, form: QFormLayout, base: Path, stem: str, seal_mm: float):
        self.dialog = dialog
        self.seal_mm = seal_mm
        self.want_pdf = QCheckBox("Báo cáo PDF/A (sẵn ô chữ ký số)")
        self.want_pdf.setObjectName("exportWantPdf")
        self.pdf = QLineEdit(str(base / f"{stem}.pdf"))
        self.pdf.setObjectName("exportPdf")
        self.want_annex = QCheckBox("Phụ lục PDF/A (sẵn ô chữ ký cơ quan)")
        self.want_annex.setObjectName("exportWantAnnexPdf")
        self.annex = QLineEdit(str(base / f"{stem}-phu-luc.pdf"))
        self.annex.setObjectName("exportAnnexPdf")
        form.addRow(self.want_pdf, dialog._with_browse(self.pdf, "Tệp PDF (*.pdf)"))
        form.addRow(self.want_annex, dialog._with_browse(self.annex, "Tệp PDF (*.pdf)"))
        for box in (self.want_pdf, self.want_annex):
            box.toggled.connect(dialog._update)

    def check(self, on: bool = True) -> None:
        self.want_pdf.setChecked(on)
        self.want_annex.setChecked(on)

    def any(self) -> bool:
        return self.want_pdf.isChecked() or self.want_annex.isChecked()

    def targets(self) -> tuple[str | None, str | None]:
        self.pdf.setEnabled(self.want_pdf.isChecked())
        self.annex.setEnabled(self.want_annex.isChecked())
        return (self.pdf.text().strip() if self.want_pdf.isChecked() else None,
                self.annex.text().strip() if self.want_annex.isChecked() else None)

    def problem(self) -> str:
        """A target whose folder does not exist, named; "" when all is well."""
        for target in self.targets():
            if target and not Path(target).parent.is_dir():
                return f"Thư mục “{Path(target).parent}” không tồn tại."
        return ""

    def wrap(self, word_job: Callable[[Callable[[int, str], None]], Any] | None,
             template: str | None) -> Callable[[Callable[[int, str], None]], Any]:
        """The export dialog's job followed by the PDF export; one result with every file."""
        from app.pdf.export import export_pdf

        pdf, annex = self.targets()
        d = self.dialog
        report, previous, draft = d.report, d.previous, d.draft.isChecked()

        def job(progress: Callable[[int, str], None]) -> Any:
            result = None
            if word_job is not None:
                result = word_job(lambda pct, msg: progress(pct // 4, msg))
            if pdf or annex:
                made = export_pdf(report, pdf, annex, template=template, previous=previous,
                                  draft=draft, seal_mm=self.seal_mm,
                                  progress=lambda pct, msg: progress(25 + pct * 3 // 4, msg))
                if result is None:
                    return made
                result.written += made.written
            return result

        return job


def focus_pdf(dialog: Any) -> QWidget:
    """Export → PDF: the dialog with only the PDF rows ticked."""
    dialog.want_docx.setChecked(False)
    dialog.want_xlsx.setChecked(False)
    dialog.pdf_rows.check(True)
    return dialog
