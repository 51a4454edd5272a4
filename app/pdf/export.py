"""The report and its annex as sign-ready PDF/A files: rendered to .docx/.xlsx in a temporary
folder, converted, given their empty signature fields, then moved into place atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.export import ExportResult, export_report, write_atomically
from app.formatting import format_number_line
from app.model import Report
from app.pdf import PdfError
from app.pdf.convert import INSTALL_HINT, Converter, convert_to_pdf, find_converter
from app.pdf.fields import DEFAULT_SEAL_MM, add_fields, place_annex, place_report


def marker_info(report: Report) -> dict[str, str]:
    """What the signatures of this report's PDFs say: its number and symbol, the agency."""
    doc = report.document
    return {"So": format_number_line(doc.number, doc.symbol).removeprefix("Số:").strip(),
            "CoQuan": report.unit.name.strip()}


def export_pdf(report: Report, pdf: str | os.PathLike[str] | None = None,
               annex_pdf: str | os.PathLike[str] | None = None, *,
               template: str | os.PathLike[str] | None = None, previous: Report | None = None,
               draft: bool = False, seal_mm: float = DEFAULT_SEAL_MM,
               converter: Converter | None = None,
               progress: Callable[[int, str], None] | None = None) -> ExportResult:
    """Write the report (`pdf`) and/or the annex (`annex_pdf`) as sign-ready PDF/A. Validation
    blocks a final export exactly as for Word (`ExportBlocked`); nothing is written then."""
    note = progress or (lambda _pct, _msg: None)
    converter = converter or find_converter()
    if converter is None:
        raise PdfError(INSTALL_HINT)
    info = marker_info(report)
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as work:
        docx = Path(work) / "bao-cao.docx" if pdf else None
        xlsx = Path(work) / "phu-luc.xlsx" if annex_pdf else None
        result = export_report(report, docx=docx, xlsx=xlsx, template=template,
                               previous=previous, draft=draft,
                               progress=lambda pct, msg: pct < 100 and note(pct // 5, msg))
        result.written = []
        made: list[tuple[Path, Path, Callable[[bytes], object]]] = []
        signer = report.document.signer
        if pdf:
            made.append((docx, Path(pdf), lambda data: place_report(
                data, signer.position, signer.name, signer.authority, seal_mm)))
        if annex_pdf:
            made.append((xlsx, Path(annex_pdf), place_annex))
        steps = len(made)
        for n, (src, target, place) in enumerate(made):
            what = "báo cáo" if src.suffix == ".docx" else "phụ lục"
            note(20 + 75 * n // steps, f"Đang chuyển {what} sang PDF ({converter.title})…")
            raw = convert_to_pdf(src, Path(work) / f"{src.stem}.pdf", converter).read_bytes()
            note(20 + 75 * n // steps + 60 // steps, f"Đang đặt ô chữ ký số vào {what}…")
            data = add_fields(raw, place(raw), info)
            result.written.append(write_atomically(target, lambda tmp, d=data: tmp.write_bytes(d)))
    note(100, "Hoàn tất.")
    return result
