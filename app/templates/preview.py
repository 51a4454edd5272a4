"""Preview a template: render a report with it, and — when LibreOffice and pdftoppm are
installed — turn the result into page images (pyside6-essentials has no PDF viewer)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.model import Report


@dataclass
class Preview:
    docx: Path
    pdf: Path | None = None
    pages: list[Path] = field(default_factory=list)
    note: str = ""  # why there are no page images, in Vietnamese
    problems: str = ""  # the template's errors made this a draft (Vietnamese), or ""


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"):
        if os.path.isfile(candidate):
            return candidate
    return None


def render_preview(template: str | os.PathLike[str], report: Report | None = None,
                   previous: Report | None = None, folder: str | os.PathLike[str] | None = None,
                   pages: bool = True, resolution: int = 60, timeout_s: float = 90) -> Preview:
    """Render `report` (the sample report when None) with the template into a new folder; then
    the PDF and PNG pages when the tools are there. Raises TemplateRenderError."""
    from app.export.word import TemplateProblemsError, render_docx
    from app.sample import sample_report

    out_dir = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="cchc-xem-truoc-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / "xem_truoc.docx"
    problems = ""
    try:
        render_docx(report or sample_report(), docx, template=template, previous=previous,
                    draft=False)
    except TemplateProblemsError as exc:
        if not exc.draft_possible:
            raise
        # the field check refuses a final report; the preview shows the draft, holes as "…"
        render_docx(report or sample_report(), docx, template=template, previous=previous,
                    draft=True)
        problems = (f"Mẫu còn {len(exc.problems) - 1} lỗi (xem “Kiểm tra”), nên đây là bản dự "
                    "thảo; chỗ trường sai hiện “…”.")
    result = Preview(docx)
    result.problems = problems
    if not pages:
        return result
    soffice = soffice_path()
    if soffice is None:
        result.note = "Chưa cài LibreOffice nên không xem trước từng trang được; hãy mở tệp bằng Word."
        return result
    profile = Path(tempfile.mkdtemp(prefix="cchc-lo-"))
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
                       check=False, capture_output=True, timeout=timeout_s)
    except (OSError, subprocess.TimeoutExpired):
        result.note = "LibreOffice không chuyển được sang PDF; hãy mở tệp bằng Word."
        return result
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / "xem_truoc.pdf"
    if not pdf.is_file():
        result.note = "LibreOffice không chuyển được sang PDF; hãy mở tệp bằng Word."
        return result
    result.pdf = pdf
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        result.note = "Chưa cài pdftoppm (poppler) nên chỉ có tệp PDF, không có ảnh từng trang."
        return result
    try:
        subprocess.run([pdftoppm, "-png", "-r", str(resolution), str(pdf), str(out_dir / "trang")],
                       check=False, capture_output=True, timeout=timeout_s)
    except (OSError, subprocess.TimeoutExpired):
        result.note = "Không tạo được ảnh các trang; hãy mở tệp PDF."
        return result
    result.pages = sorted(out_dir.glob("trang-*.png"))
    return result
