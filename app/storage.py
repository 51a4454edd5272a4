"""Report files (`*.cchc.json`): strict reading with clear Vietnamese errors, atomic writing.

A broken file is refused whole, never half-read; a save writes a temporary file beside the
target, flushes it to disk and renames it over the old one, keeping the previous version as
`.bak`, so a crash at any instant leaves the old or the new file, never a broken one.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.formatting import PERIOD_KINDS
from app.model import (
    FORMAT,
    FORMAT_VERSION,
    LEVELS,
    DocumentInfo,
    Period,
    Report,
    Signer,
    Unit,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
REPORT_SUFFIX = ".cchc.json"


class ReportFileError(UserError, ValueError):
    """A report file that cannot be read; str() is one Vietnamese line naming the problem."""


def _err(where: str, problem: str) -> ReportFileError:
    return ReportFileError(f"{where}: {problem}" if where else problem)


def _text(obj: dict[str, Any], key: str, where: str, default: str = "") -> str:
    v = obj.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        raise _err(where, f"trường “{key}” phải là chuỗi ký tự, không phải {json.dumps(v, ensure_ascii=False)}.")
    return v


def _int(obj: dict[str, Any], key: str, where: str, required: bool = False) -> int | None:
    v = obj.get(key)
    if v is None:
        if required:
            raise _err(where, f"thiếu trường “{key}”.")
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise _err(where, f"trường “{key}” phải là số nguyên, không phải {json.dumps(v, ensure_ascii=False)}.")
    return v


def _str_list(obj: dict[str, Any], key: str, where: str) -> list[str]:
    v = obj.get(key) or []
    if isinstance(v, str):
        return [line for line in v.splitlines() if line.strip()]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _err(where, f"trường “{key}” phải là danh sách chuỗi ký tự.")
    return list(v)


def _dict(obj: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    v = obj.get(key)
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise _err(where, f"trường “{key}” phải là một đối tượng JSON.")
    return v


def report_from_dict(data: Any, where: str = "") -> Report:
    """Build a Report from parsed JSON, refusing wrong types with a message naming the field."""
    if not isinstance(data, dict):
        raise _err(where, "tệp không phải là báo cáo CCHC (nội dung không phải đối tượng JSON).")
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
    u = _dict(data, "unit", where)
    level = _text(u, "level", where, "tinh") or "tinh"
    if level not in LEVELS:
        raise _err(where, f"cấp đơn vị “{level}” không hợp lệ (tinh, so_nganh, huyen, xa).")
    unit = Unit(
        name=_text(u, "name", where), code=_text(u, "code", where), level=level,
        governing_body=_text(u, "governing_body", where),
    )
    p = _dict(data, "period", where)
    kind = _text(p, "kind", where, "")
    if kind not in PERIOD_KINDS:
        raise _err(where, f"kỳ báo cáo “{kind}” không hợp lệ ({', '.join(PERIOD_KINDS)}).")
    if kind == "giai_doan":
        fy, ty = _int(p, "from_year", where, True), _int(p, "to_year", where, True)
        assert fy is not None and ty is not None
        if not (1990 <= fy <= ty <= 2100):
            raise _err(where, f"giai đoạn {fy} - {ty} không hợp lệ.")
        period = Period(kind, None, fy, ty)
    else:
        year = _int(p, "year", where, True)
        assert year is not None
        if not 1990 <= year <= 2100:
            raise _err(where, f"năm báo cáo {year} không hợp lệ.")
        period = Period(kind, year)
    d = _dict(data, "document", where)
    raw_date = d.get("date")
    doc_date = None
    if raw_date not in (None, ""):
        if not isinstance(raw_date, str):
            raise _err(where, "ngày ban hành (“document.date”) phải có dạng YYYY-MM-DD.")
        try:
            doc_date = date.fromisoformat(raw_date)
        except ValueError:
            raise _err(where, f"ngày ban hành “{raw_date}” không hợp lệ (dạng YYYY-MM-DD).") from None
    number = _int(d, "number", where)
    if number is not None and number < 0:
        raise _err(where, f"số văn bản {number} không hợp lệ.")
    s = _dict(d, "signer", where)
    document = DocumentInfo(
        number=number, symbol=_text(d, "symbol", where, "BC-UBND"), place=_text(d, "place", where),
        date=doc_date, to=_str_list(d, "to", where), distribution=_str_list(d, "distribution", where),
        signer=Signer(_text(s, "authority", where), _text(s, "position", where), _text(s, "name", where)),
    )
    values: dict[str, int | float] = {}
    for key, v in _dict(data, "values", where).items():
        if v is None:
            continue  # null means not reported
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise _err(where, f"giá trị của “{key}” phải là số, không phải {json.dumps(v, ensure_ascii=False)}.")
        values[key] = v
    texts = {}
    for part in ("explanations", "narrative"):
        obj = _dict(data, part, where)
        for k, v in obj.items():
            if not isinstance(v, str):
                raise _err(where, f"“{part}.{k}” phải là chuỗi ký tự.")
        texts[part] = {k: v for k, v in obj.items() if v.strip()}
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        raise _err(where, "“sources” phải là một danh sách.")
    return Report(
        unit=unit, period=period, document=document, values=values,
        explanations=texts["explanations"], narrative=texts["narrative"],
        sources=list(sources), raw=data,
    )


def load_report(path: str | os.PathLike[str]) -> Report:
    """Read a report file. Raises ReportFileError with one Vietnamese line naming the file."""
    p = Path(path)
    where = str(p)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _err(where, f"tệp quá lớn ({size // 1024 // 1024} MB) để là một báo cáo.")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise _err(where, "không tìm thấy tệp.") from None
    except IsADirectoryError:
        raise _err(where, "đây là một thư mục, không phải tệp báo cáo.") from None
    except PermissionError:
        raise _err(where, "không có quyền đọc tệp.") from None
    except OSError as exc:
        raise _err(where, f"không đọc được tệp ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _err(where, "tệp không phải văn bản UTF-8 (có thể đã hỏng).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _err(where, f"tệp JSON bị lỗi ở dòng {exc.lineno}, cột {exc.colno}.") from None
    return report_from_dict(data, where)


def dump_report(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def atomic_write(path: str | os.PathLike[str], data: bytes, keep_backup: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, keep `.bak`, then rename."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and target.exists():
            bak = target.with_name(target.name + ".bak")
            try:
                if bak.exists():
                    bak.unlink()
                os.link(target, bak)
            except OSError:
                import shutil

                shutil.copy2(target, bak)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save_report(report: Report, path: str | os.PathLike[str]) -> None:
    atomic_write(path, dump_report(report).encode("utf-8"))
