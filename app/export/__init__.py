"""Export: the Word report (docxtpl) and the Excel annex (XlsxWriter), written atomically.

`export_report` validates first: errors — and warnings nobody has explained — block a final
export and nothing is written; a draft (`draft=True`) is written anyway and marked "DỰ THẢO".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.files import locked
from app.model import Report
from app.validation import Finding, validate


class ExportError(UserError):
    """The export could not be written; str() is one Vietnamese line."""


class ExportBlocked(ExportError):
    """Errors (or unexplained warnings) block a final export."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__(self.reason() + "; chỉ có thể xuất bản dự thảo.")

    def reason(self) -> str:
        """"còn 2 lỗi", "còn 3 cảnh báo chưa giải trình", or both — what blocks, in words."""
        from app.validation import blocking_reason

        return blocking_reason(self.findings) or "còn vấn đề chưa xử lý"


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    draft: bool = False
    template_notes: list[str] = field(default_factory=list)  # the template check's warnings


LIKELY_HOLDERS = ("Word hoặc Excel đang mở tệp, phần mềm diệt virus, OneDrive hoặc "
                  "dịch vụ tìm kiếm của Windows đang đọc tệp")


def write_atomically(target: str | os.PathLike[str], produce: Callable[[Path], None]) -> Path:
    """Let `produce` write a temporary file beside the target, then rename it into place
    (app.storage.replace_atomically, which retries a briefly held target). A target that stays
    locked and a folder where the user may not write get a clear message naming the likely
    holders or the folder, and nothing half-written is left behind."""
    from app.storage import TargetLocked, replace_atomically

    try:
        return replace_atomically(target, produce)
    except TargetLocked:
        raise ExportError(
            f"{target}: không ghi đè được tệp cũ vì tệp đang mở hoặc đang bị chương trình khác "
            f"giữ ({LIKELY_HOLDERS}), hoặc tệp chỉ đọc. Hãy đóng tệp trong Word, Excel, "
            "chờ vài giây rồi xuất lại, hoặc xuất ra tên tệp khác."
        ) from None
    except PermissionError:
        folder = Path(target).resolve().parent
        raise ExportError(
            f"{target}: không ghi được vào thư mục “{folder}” (thư mục chỉ đọc hoặc bạn không "
            "có quyền ghi). Hãy chọn thư mục khác, ví dụ Tài liệu (Documents)."
        ) from None


def export_report(
    report: Report,
    docx: str | os.PathLike[str] | None = None,
    xlsx: str | os.PathLike[str] | None = None,
    template: str | os.PathLike[str] | None = None,
    previous: Report | None = None,
    draft: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> ExportResult:
    findings = validate(report, previous)
    blocking = [f for f in findings if f.blocking]
    if blocking and not draft:
        raise ExportBlocked(blocking)
    result = ExportResult(findings=findings, draft=draft)
    note = progress or (lambda _pct, _msg: None)
    layout = None
    if xlsx:
        # the annex layout is read before anything is written: a bad layout leaves no Word file
        from app.export.annex_layout import load_layout
        from app.templates.library import annex_layout_for

        layout = load_layout(annex_layout_for(template))  # the layout the manifest pairs with
    # two exports to the same targets run one after the other: the Word file and the annex
    # always come from the same report
    with locked([t for t in (docx, xlsx) if t]):
        _write(report, result, note, docx, xlsx, template, previous, draft, layout)
    note(100, "Hoàn tất.")
    return result


def _write(report: Report, result: ExportResult, note: Callable[[int, str], None],
           docx: str | os.PathLike[str] | None, xlsx: str | os.PathLike[str] | None,
           template: str | os.PathLike[str] | None, previous: Report | None, draft: bool,
           layout: Any) -> None:
    """The Word file, then the annex. While the render child lays out the Word file, the annex
    is written to a scratch file; it takes its place only once the Word file has (a template
    that fails leaves both files as they were)."""
    import shutil
    import tempfile

    from app.export.annex import write_annex
    from app.files import remove_quietly

    scratch: list[Path] = []

    def annex_to_scratch() -> None:
        note(60, "Đang tạo phụ lục Excel…")
        fd, name = tempfile.mkstemp(suffix=".xlsx", prefix="cchc-phu-luc-")
        os.close(fd)
        scratch.append(Path(name))
        write_annex(report, name, previous=previous, draft=draft, layout=layout)

    try:
        if docx:
            from app.export.word import render_docx

            note(10, "Đang tạo báo cáo Word…")
            result.written.append(write_atomically(
                docx, lambda tmp: result.template_notes.extend(render_docx(
                    report, tmp, template=template, previous=previous, draft=draft,
                    meanwhile=annex_to_scratch if xlsx else None))))
        if xlsx:
            if not scratch:
                annex_to_scratch()
            result.written.append(write_atomically(
                xlsx, lambda tmp: shutil.copyfile(scratch[0], tmp)))
    finally:
        for p in scratch:
            remove_quietly(p)
