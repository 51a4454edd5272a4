"""Report files (`*.cchc`, JSON inside; `*.cchc.json` of earlier versions still read): strict reading with clear Vietnamese errors, atomic writing.

A broken file is refused whole, never half-read; a save writes a temporary file beside the
target, flushes it to disk and renames it over the old one, keeping the previous version as
`.bak`, so a crash at any instant leaves the old or the new file, never a broken one.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.catalog import Catalog, load_catalog
from app.errors import UserError
from app.files import clean_leftovers, locked, remove_quietly, temp_path
from app.model import (
    FORMAT,
    FORMAT_VERSION,
    DocumentInfo,
    Period,
    Report,
    Signer,
    Unit,
)
from app.vocabulary import PHASE

MAX_FILE_BYTES = 20 * 1024 * 1024
REPORT_SUFFIX = ".cchc"  # one extension of our own: Windows associates by the last one
OLD_REPORT_SUFFIX = ".cchc.json"


def report_file_name(path: str | os.PathLike[str]) -> str:
    """The name a report is saved under: "x.cchc.json", "x.json" or "x" become "x.cchc"."""
    text = str(path)
    if text.lower().endswith(REPORT_SUFFIX):
        return text
    for old in (OLD_REPORT_SUFFIX, ".json"):
        if text.lower().endswith(old):
            return text[: -len(old)] + REPORT_SUFFIX
    return text + REPORT_SUFFIX


def is_report_file(path: str | os.PathLike[str]) -> bool:
    return str(path).lower().endswith((REPORT_SUFFIX, ".json"))


class ReportFileError(UserError, ValueError):
    """A report file that cannot be read; str() is one Vietnamese line naming the problem."""


def _err(where: str, problem: str) -> ReportFileError:
    return ReportFileError(f"{where}: {problem}" if where else problem)


def _lines(v: str | list[str] | None) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [line for line in v.splitlines() if line.strip()]
    return list(v)


def report_from_dict(data: Any, where: str = "", catalog: Catalog | None = None) -> Report:
    """Build a Report from parsed JSON through the typed boundary (`app.report_file`): wrong
    types, ranges, lengths and figures beyond their indicator's bound are refused with one
    Vietnamese line naming the field, the value and the rule; nothing is half-read."""
    if not isinstance(data, dict):
        raise _err(where, "tệp không phải là báo cáo CCHC (nội dung không đúng định dạng báo cáo).")
    if data.get("format") != FORMAT:
        raise _err(where, f"tệp không phải là báo cáo CCHC (thiếu “format”: “{FORMAT}”).")
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _err(where, "“format_version” phải là số nguyên dương.")
    if version > FORMAT_VERSION:
        raise _err(
            where,
            f"tệp được tạo bởi phiên bản mới hơn (định dạng {version}; chương trình này đọc được "
            f"đến định dạng {FORMAT_VERSION}). Hãy cập nhật chương trình.",
        )
    # the typed boundary (msgspec) is imported when a report is first read: not at start-up
    from app.boundary import check_tree, decode
    from app.report_file import (
        ITEM_TYPES,
        DocumentPart,
        ReportFile,
        SignerPart,
        UnitPart,
        out_of_bounds,
    )

    problem = check_tree(data)
    if problem:
        raise _err(where, problem)
    f = decode(data, ReportFile, lambda p: _err(where, p), ITEM_TYPES)
    u = f.unit or UnitPart()
    unit = Unit(name=u.name or "", code=u.code or "", level=u.level or "tinh",
                governing_body=u.governing_body or "")
    p = f.period
    if p.kind == PHASE:
        if p.from_year is None or p.to_year is None:
            raise _err(where, f"thiếu trường “{'from_year' if p.from_year is None else 'to_year'}” "
                              f"của kỳ giai đoạn.")
        if p.from_year > p.to_year:
            raise _err(where, f"giai đoạn {p.from_year} - {p.to_year} không hợp lệ.")
        period = Period(p.kind, None, p.from_year, p.to_year)
    else:
        if p.year is None:
            raise _err(where, "thiếu trường “year” (năm báo cáo).")
        period = Period(p.kind, p.year)
    d = f.document or DocumentPart()
    doc_date = None
    if d.date:
        try:
            doc_date = date.fromisoformat(d.date)
        except ValueError:
            raise _err(where, f"ngày ban hành “{d.date}” không hợp lệ (dạng YYYY-MM-DD).") from None
    s = d.signer or SignerPart()
    window = d.data_window
    if window is not None and not isinstance(window, str):
        window = _window_text(window, where)
    document = DocumentInfo(
        number=d.number, symbol="BC-UBND" if d.symbol is None else d.symbol, place=d.place or "",
        date=doc_date, to=_lines(d.to), distribution=_lines(d.distribution),
        signer=Signer(s.authority or "", s.position or "", s.name or ""),
        issuer_lines=_lines(d.issuer_lines), data_window=window,
    )
    cat = catalog or load_catalog()
    values = {k: v for k, v in (f.values or {}).items() if v is not None}
    by_level = {lv: {k: v for k, v in row.items() if v is not None}
                for lv, row in (f.by_level or {}).items()}
    by_level = {lv: row for lv, row in by_level.items() if row}
    beyond = out_of_bounds(values, cat)
    for lv, row in by_level.items():
        beyond += [f"số liệu theo cấp ({lv}): {line}" for line in out_of_bounds(row, cat)]
    for i, src in enumerate(f.sources or []):
        beyond += [f"nguồn số {i + 1} ({src.unit.name}): {line}"
                   for line in out_of_bounds(src.values, cat)]
    if beyond:
        raise _err(where, beyond[0] + (f" (và {len(beyond) - 1} giá trị khác)" if len(beyond) > 1 else ""))
    sources = []
    if f.sources:  # a consolidated report: its units' submissions (app.intake, imported then)
        from app.intake import source_from_file

        raw_sources = data.get("sources") or []
        sources = [source_from_file(src, raw_sources[i], period)
                   for i, src in enumerate(f.sources)]
    texts = {
        part: {k: v for k, v in (getattr(f, part) or {}).items() if v.strip()}
        for part in ("explanations", "narrative")
    }
    return Report(
        unit=unit, period=period, document=document, values=values,
        explanations=texts["explanations"], narrative=texts["narrative"],
        sources=sources, by_level=by_level, format_version=version,
        raw=data,
    )


def _window_text(window: Any, where: str) -> str | None:
    """The data-window line of the file's {"from", "to", "text"}: the drafter's text, else the
    line of the two days; None when the file gives neither (the regime's default applies)."""
    from app.formatting import data_window_line

    if window.text is not None and window.text.strip():
        return window.text
    if window.from_ and window.to:
        try:
            start, end = date.fromisoformat(window.from_), date.fromisoformat(window.to)
        except ValueError:
            raise _err(where, f"khoảng thời gian số liệu “{window.from_}” – “{window.to}” không "
                              "hợp lệ (dạng YYYY-MM-DD).") from None
        if start > end:
            raise _err(where, f"khoảng thời gian số liệu bắt đầu ({window.from_}) sau ngày kết "
                              f"thúc ({window.to}).")
        return data_window_line(start, end)
    return None


def load_report(path: str | os.PathLike[str]) -> Report:
    """Read a report file. Raises ReportFileError with one Vietnamese line naming the file."""
    where = str(Path(path))

    def fail(problem: str) -> ReportFileError:
        return _err(where, problem)

    from app.boundary import parse_json, read_bounded

    raw = read_bounded(path, MAX_FILE_BYTES, fail)
    return report_from_dict(parse_json(raw, fail, check=False), where)


def dump_report(report: Report) -> str:
    """The report as the text of its file. What is written must read back: the data passes the
    same boundary as a file being opened, so a text with an invalid character or a figure beyond
    its bound is refused here, naming the field, instead of producing a file that cannot open."""
    data = report.to_dict()
    try:
        report_from_dict(data)
    except ReportFileError as exc:
        raise ReportFileError(f"không lưu được báo cáo: {exc}") from None
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import, before any worker thread creates files


def give_normal_permissions(path: str | os.PathLike[str], replacing: Path | None = None) -> None:
    """A temporary file is created readable by its owner only; give the finished file the
    permissions of the file it replaces, or those of any file the user creates (0666 less the
    umask), so that colleagues on a shared folder can open it."""
    try:
        if replacing is not None and replacing.exists():
            mode = replacing.stat().st_mode & 0o777
        else:
            mode = 0o666 & ~_UMASK
        os.chmod(path, mode)
    except OSError:
        pass


# On Windows a file just written or about to be replaced is often held for a moment by someone
# else: the antivirus scanning it, the search indexer, OneDrive uploading it. The rename is
# retried for about a second before the target counts as locked (seconds between tries).
REPLACE_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.3, 0.4)


class TargetLocked(PermissionError):
    """The target stayed locked (open in Word, held by another program) through the retries."""


def _replace_with_retries(tmp: Path, target: Path) -> None:
    for delay in (*REPLACE_RETRY_DELAYS, None):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:
            if delay is None:
                raise TargetLocked(*exc.args) from exc
            time.sleep(delay)


def replace_atomically(path: str | os.PathLike[str], produce: Callable[[Path], None],
                       keep_backup: bool = False) -> Path:
    """The one way a file is written: `produce` writes a temporary file in the target's folder,
    which is flushed to disk and renamed over the target (the old one kept as `.bak` when asked).
    A crash at any instant leaves the old file or the new one, never a broken one.

    The temporary file's name carries the process id (app.files), so whatever a killed writer
    left behind is removed by the next writer of the folder or at the next start; the `.bak`
    is replaced by a rename too, so it is never missing once it exists. A target held by another program is retried for
    about a second, then raises TargetLocked (a PermissionError)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    clean_leftovers(folder)
    tmp = temp_path(target)
    try:
        produce(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        give_normal_permissions(tmp, target)
        if keep_backup and target.exists():
            bak = target.with_name(target.name + ".bak")
            bak_tmp = temp_path(bak)
            try:
                os.unlink(bak_tmp)
                os.link(target, bak_tmp)
            except OSError:
                import shutil

                shutil.copy2(target, bak_tmp)
            os.replace(bak_tmp, bak)
        _replace_with_retries(tmp, target)
    except BaseException:
        remove_quietly(tmp)
        raise
    return target


def atomic_write(path: str | os.PathLike[str], data: bytes, keep_backup: bool = True) -> None:
    """Write bytes atomically, keeping the previous version as `.bak`."""
    replace_atomically(path, lambda tmp: tmp.write_bytes(data), keep_backup)


def save_report(report: Report, path: str | os.PathLike[str]) -> None:
    """Save a report file (atomically, keeping `.bak`); writers of one file take turns."""
    data = dump_report(report).encode("utf-8")
    with locked([path]):
        atomic_write(path, data)
