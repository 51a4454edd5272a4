"""The boundary every file the program reads passes through: bounded reading and typed decoding.

- `read_bounded` reads a regular file only (a device, a pipe or a socket is refused before a byte
  is read) and measures the size while reading, so `/dev/zero` or a file that grows cannot
  exhaust memory.
- `check_tree` bounds what was parsed: nesting depth, number of nodes, valid Unicode (no lone
  surrogates, which can be read from JSON escapes but never written back).
- `decode(data, Type)` converts parsed data into typed, bounded msgspec structures and turns the
  library's English complaint into a Vietnamese line naming the field, the value and the rule.

Beyond this layer the structures hold what they declare; nothing downstream defends itself.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.errors import UserError

if TYPE_CHECKING:
    import msgspec

T = TypeVar("T")

MAX_DEPTH = 48          # a report file nests 4 levels; unknown keys get a generous margin
MAX_NODES = 1_000_000   # values, keys and containers of one parsed file
_CHUNK = 1 << 16
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_bounded(path: str | os.PathLike[str], max_bytes: int,
                 fail: Callable[[str], UserError]) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; anything else raises fail(problem)."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise fail("không tìm thấy tệp.") from None
    except PermissionError:
        raise fail("không có quyền đọc tệp.") from None
    except (OSError, ValueError) as exc:
        raise fail(f"không đọc được tệp ({_reason(exc)}).") from None
    if stat.S_ISDIR(st.st_mode):
        raise fail("đây là một thư mục, không phải tệp.")
    if not stat.S_ISREG(st.st_mode):
        raise fail("không phải tệp dữ liệu thông thường (thiết bị, ống dẫn hay cổng kết nối); "
                   "chương trình không đọc loại này.")
    if st.st_size > max_bytes:
        raise fail(f"tệp quá lớn ({_size(st.st_size)}; giới hạn {_size(max_bytes)}).")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(p, flags)
    except PermissionError:
        raise fail("không có quyền đọc tệp.") from None
    except OSError as exc:
        raise fail(f"không đọc được tệp ({_reason(exc)}).") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a pipe since the stat above
            raise fail("không phải tệp dữ liệu thông thường; chương trình không đọc loại này.")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise fail(f"tệp quá lớn (hơn {_size(max_bytes)}).")
            chunks.append(chunk)
    except OSError as exc:
        raise fail(f"không đọc được tệp ({_reason(exc)}).") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or exc.__class__.__name__


def _size(n: int) -> str:
    from app.formatting import format_count

    if n >= 1024 * 1024:
        return f"{format_count(n // (1024 * 1024))} MB"
    return f"{format_count(max(1, n // 1024))} KB"


def check_tree(data: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> str | None:
    """None when parsed data is within bounds, else a Vietnamese problem (depth, size, text).
    The walk keeps no paths (it runs on every file read); a problem is located afterwards."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 0
    bad = False
    while stack and not bad:
        obj, depth = stack.pop()
        if depth > max_depth:
            bad = True
            break
        items = obj.items() if type(obj) is dict else enumerate(obj) if type(obj) is list else None
        if items is None:
            if type(obj) is str and not obj.isascii() and _SURROGATE.search(obj):
                bad = True
            nodes += 1
            continue
        nodes += len(obj) + 1
        if nodes > max_nodes:
            return f"nội dung có quá nhiều phần tử (hơn {max_nodes:,})".replace(",", ".") + "."
        for k, v in items:
            t = type(v)
            if t is dict or t is list:
                stack.append((v, depth + 1))
            elif t is str and not v.isascii() and _SURROGATE.search(v):
                bad = True
                break
            if type(k) is str and not k.isascii() and _SURROGATE.search(k):
                bad = True
                break
    return _locate(data, max_depth) if bad else None


def _locate(data: Any, max_depth: int) -> str:
    """The problem check_tree found, with the field it is in (the slow walk, only on failure)."""
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        obj, depth, where = stack.pop()
        if isinstance(obj, str):
            if not obj.isascii() and _SURROGATE.search(obj):
                return f"{_at(where)}có ký tự không hợp lệ (mã UTF-16 lẻ), không phải văn bản Unicode."
            continue
        if isinstance(obj, (dict, list)) and depth > max_depth:
            return f"{_at(where)}lồng nhau quá sâu (hơn {max_depth} cấp)."
        if isinstance(obj, dict):
            for k, v in obj.items():
                if isinstance(k, str) and not k.isascii() and _SURROGATE.search(k):
                    return f"{_at(where)}có tên trường chứa ký tự không hợp lệ."
                stack.append((v, depth + 1, f"{where}.{k}" if where else str(k)))
        elif isinstance(obj, list):
            stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(obj))
    return "nội dung không hợp lệ."


def _at(where: str) -> str:
    return f"trường “{where[:80]}” " if where else ""


def parse_json(raw: bytes, fail: Callable[[str], UserError], check: bool = True) -> Any:
    """Parse UTF-8 JSON bytes (a BOM is allowed) into Python objects, bounded by check_tree
    (`check=False` when the caller walks the tree itself)."""
    import msgspec  # not at start-up: the editor's first paint does not read a report
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("tệp không phải văn bản UTF-8 (có thể đã hỏng).") from None
    try:
        data = msgspec.json.decode(raw)
    except msgspec.ValidationError:  # a number beyond the range of a float
        raise fail("tệp có một số quá lớn, vượt mọi giới hạn của số liệu.") from None
    except msgspec.DecodeError:
        raise fail(_json_problem(raw)) from None
    except RecursionError:
        raise fail(f"nội dung lồng nhau quá sâu (hơn {MAX_DEPTH} cấp).") from None
    problem = check_tree(data) if check else None
    if problem:
        raise fail(problem)
    return data


def _json_problem(raw: bytes) -> str:
    """Where a JSON text is broken (the standard parser says line and column; only on error)."""
    import json

    try:
        json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as exc:
        return (f"tệp bị hỏng ở dòng {exc.lineno} (nội dung không đúng định dạng; có thể tệp đã "
                "bị sửa bằng chương trình khác).")
    except RecursionError:
        return f"nội dung lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)."
    except ValueError:  # an integer of thousands of digits
        return "tệp có một số quá lớn, vượt mọi giới hạn của số liệu."
    # the standard parser takes what msgspec refuses: a lone surrogate escape ("\\ud800"),
    # NaN or Infinity
    if re.search(rb"\\u[dD][89a-fA-F]", raw):
        return "tệp có ký tự không hợp lệ (mã UTF-16 lẻ), không phải văn bản Unicode."
    return "tệp có giá trị không phải số hợp lệ (NaN, Infinity) hoặc không đúng định dạng."


# ------------------------------------------------------------------ typed conversion

_TYPE_WORDS = {
    "str": "chuỗi ký tự", "int": "số nguyên", "float": "số", "bool": "đúng/sai",
    "object": "nhóm thông tin", "array": "danh sách", "null": "để trống", "number": "số",
}


def _type_words(spec: str) -> str:
    names = [t.strip(" `") for t in spec.split("|")]
    words = [_TYPE_WORDS.get(n, n) for n in names if n != "null"]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    if "số" in seen and "số nguyên" in seen:
        seen.remove("số nguyên")
    return " hoặc ".join(seen) or "để trống"


def _value_at(data: Any, path: str) -> tuple[bool, Any]:
    obj = data
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path):
        key, index = part
        try:
            obj = obj[key] if key else obj[int(index)]
        except (KeyError, IndexError, TypeError, ValueError):
            return False, None
    return True, obj


def _show(v: Any) -> str:
    import json

    try:
        text = json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(v)
    return text if len(text) <= 60 else text[:57] + "…"


def translate(exc: msgspec.ValidationError, data: Any) -> str:
    """msgspec's English message → one Vietnamese line naming the field, the value, the rule."""
    text = str(exc)
    msg, _, at = text.partition(" - at `")
    path = at.rstrip("`")
    field = path[2:] if path.startswith("$.") else path.lstrip("$")
    found, value = _value_at(data, path) if path else (True, data)
    shown = f" {_show(value)}" if found else ""
    name = f"trường “{field}”" if field else "nội dung"
    if m := re.match(r"Object missing required field `(.+)`", msg):
        where = f" trong “{field}”" if field else ""
        return f"thiếu trường “{m.group(1)}”{where}."
    if m := re.match(r"Invalid enum value (.+)", msg):
        return f"{name}: giá trị {m.group(1).strip()} không hợp lệ."
    if m := re.match(r"Expected `(.+?)`, got `(.+?)`", msg):
        return f"{name}: phải là {_type_words(m.group(1))}, không phải{shown or ' ' + _type_words(m.group(2))}."
    if m := re.match(r"Expected `(.+?)` of length ([<>]=) (\d+)", msg):
        limit = "tối đa" if m.group(2) == "<=" else "tối thiểu"
        return f"{name}: dài quá giới hạn ({limit} {m.group(3)} ký tự)." if limit == "tối đa" else \
            f"{name}: phải có {limit} {m.group(3)} ký tự."
    if m := re.match(r"Expected `(.+?)` of length", msg):
        return f"{name}: độ dài không hợp lệ."
    if m := re.match(r"Expected `(.+?)` ([<>]=?) (\S+)", msg):
        words = {">=": "từ", "<=": "không quá", ">": "lớn hơn", "<": "nhỏ hơn"}[m.group(2)]
        return f"{name}:{shown or ' giá trị'} không hợp lệ — phải {words} {_limit(m.group(3))}."
    if m := re.match(r"Expected `(.+?)` matching regex", msg):
        return f"{name}:{shown or ' giá trị'} không đúng dạng quy định."
    if m := re.match(r"Expected `(.+?)`", msg):
        return f"{name}: phải là {_type_words(m.group(1))}."
    return f"{name}: giá trị{shown} không hợp lệ."


def _limit(text: str) -> str:
    from app.formatting import format_decimal

    try:
        return format_decimal(float(text)) if abs(float(text)) >= 10_000 else text
    except ValueError:
        return text


def decode(data: Any, kind: type[T], fail: Callable[[str], UserError],
           item_types: dict[str, Any] | None = None) -> T:
    """Parsed data as the typed structure `kind`, or fail(Vietnamese line).

    msgspec names an entry of a mapping only as `[...]`; `item_types` gives the type of the
    entries of a mapping field by its name ({"values": Number | None}) so that the message
    can name the key."""
    import msgspec

    try:
        return msgspec.convert(data, kind, strict=True)
    except msgspec.ValidationError as exc:
        raise fail(_translate_entry(exc, data, item_types or {}) or translate(exc, data)) from None


def _translate_entry(exc: msgspec.ValidationError, data: Any, item_types: dict[str, Any]) -> str | None:
    import msgspec

    text = str(exc)
    if "[...]" not in text:
        return None
    path = text.partition(" - at `")[2].rstrip("`")
    prefix = path.split("[...]", 1)[0]
    field = re.split(r"[.\]]", prefix)[-1]
    found, mapping = _value_at(data, prefix)
    if not found or not isinstance(mapping, dict) or field not in item_types:
        return None
    for key, value in mapping.items():
        try:
            msgspec.convert(value, item_types[field], strict=True)
        except msgspec.ValidationError as inner:
            return _entry_line(inner, f"{prefix[2:]}.{key}", value)
    return None


def _entry_line(exc: msgspec.ValidationError, field: str, value: Any) -> str:
    line = translate(exc, value)
    return line.replace("nội dung", f"trường “{field[:80]}”", 1)
