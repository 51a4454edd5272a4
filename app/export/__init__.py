"""Export: the Word report (docxtpl) and the Excel annex (XlsxWriter), written atomically.

`export_report` validates first: errors — and warnings nobody has explained — block a final
export and nothing is written; a draft (`draft=True`) is written anyway and marked "DỰ THẢO".
"""

from __future__ import annotations
from app.errors import UserError

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.model import Report
from app.validation import Finding, validate


class ExportError(UserError):
    """The export could not be written; str() is one Vietnamese line."""


class ExportBlocked(ExportError):
    """Errors (or unexplained warnings) block a final export."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__(
            f"Còn {len(findings)} lỗi hoặc cảnh báo chưa giải trình; chỉ có thể xuất bản dự thảo."
        )


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    draft: bool = False


# On Windows a file just written or about to be replaced is often held for a moment by someone
# else: the antivirus scanning it, the search indexer, OneDrive uploading it. Retry the rename
# for about a second before blaming the user's Word or Excel (seconds between tries).
REPLACE_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.3, 0.4)
LIKELY_HOLDERS = ("Word hoặc Excel đang mở tệp, phần mềm diệt virus, OneDrive hoặc "
                  "dịch vụ tìm kiếm của Windows đang đọc tệp")


def _replace_with_retries(tmp: Path, out: Path) -> None:
    for delay in (*REPLACE_RETRY_DELAYS, None):
        try:
            os.replace(tmp, out)
            return
        except PermissionError:
            if delay is None:
                raise
            time.sleep(delay)


def write_atomically(target: str | os.PathLike[str], produce: Callable[[Path], None]) -> Path:
    """Let `produce` write a temporary file beside the target, then rename it into place.

    A folder where the user may not write and a target that stays locked (open in Word or Excel,
    held by an antivirus, OneDrive or the search indexer) get a clear message, and the temporary
    file is removed, so nothing half-written is left behind."""
    out = Path(target)
    folder = out.resolve().parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=out.suffix, dir=folder)
    except PermissionError:
        raise ExportError(
            f"{out}: không ghi được vào thư mục “{folder}” (thư mục chỉ đọc hoặc bạn không có "
            "quyền ghi). Hãy chọn thư mục khác, ví dụ Tài liệu (Documents)."
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        produce(tmp)
        try:
            _replace_with_retries(tmp, out)
        except PermissionError:
            raise ExportError(
                f"{out}: không ghi đè được tệp cũ vì tệp đang mở hoặc đang bị chương trình khác "
                f"giữ ({LIKELY_HOLDERS}), hoặc tệp chỉ đọc. Hãy đóng tệp trong Word, Excel, "
                "chờ vài giây rồi xuất lại, hoặc xuất ra tên tệp khác."
            ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


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
    if docx:
        from app.export.word import render_docx

        note(10, "Đang tạo báo cáo Word…")
        result.written.append(write_atomically(
            docx, lambda tmp: render_docx(report, tmp, template=template, previous=previous,
                                          draft=draft)))
    if xlsx:
        from app.export.annex import write_annex
        from app.templates.library import annex_layout_for

        layout = annex_layout_for(template)  # the layout the template's manifest pairs with
        note(60, "Đang tạo phụ lục Excel…")
        result.written.append(write_atomically(
            xlsx, lambda tmp: write_annex(report, tmp, previous=previous, draft=draft,
                                          layout=layout)))
    note(100, "Hoàn tất.")
    return result
