"""The Excel annex layout: an editable TOML file that says which sheets the annex has, their
titles, their columns (order, titles, widths) and which indicators appear.

The shipped default is `report_templates/annex/phu_luc.toml`; its comments document the format for
administrators, in Vietnamese. `check_layout(path)` returns the problems of a layout file as
Vietnamese lines that name the line and the key (used by the template lint); `load_layout(path)`
returns a `Layout` or raises `LayoutError` carrying those lines.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog import LEVELS, Catalog, load_catalog
from app.errors import UserError

FORMAT_VERSION = 1
SHEET_KINDS = ("chi_tieu", "don_vi")
INDICATOR_COLUMNS = {  # kind "chi_tieu": column key → default title
    "stt": "STT",
    "chi_tieu": "Chỉ tiêu",
    "don_vi_tinh": "Đơn vị tính",
    "ky_nay": "Kết quả {ky_bao_cao}",
    "cung_ky": "Cùng kỳ {ky_truoc}",
    "tang_giam": "Tăng (+), giảm (-)",
    "tang_giam_pct": "Tỷ lệ tăng, giảm (%)",
    "ghi_chu": "Ghi chú",
}
PREVIOUS_COLUMNS = ("cung_ky", "tang_giam", "tang_giam_pct")
UNIT_COLUMNS = {  # kind "don_vi": fixed column key → default title
    "stt": "STT",
    "don_vi": "Đơn vị",
    "ma_don_vi": "Mã đơn vị",
    "ngay_nhan": "Ngày nhận số liệu",
    "ghi_chu": "Ghi chú",
}
PLACEHOLDERS = ("ky_bao_cao", "ky_truoc", "don_vi", "cap")
MIN_WIDTH, MAX_WIDTH = 2, 100
SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = set(r":\/?*[]")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

_TOP_KEYS = ("phien_ban", "ten", "mo_ta", "trang_tinh")
_SHEET_KEYS = ("ten", "loai", "tieu_de", "cap", "cot", "bang")
_COLUMN_KEYS = ("ma", "tieu_de", "do_rong", "nhom")
_BLOCK_KEYS = ("linh_vuc", "chi_tieu", "tieu_de", "so_thu_tu", "ty_le")


def default_layout_path() -> Path:
    from app.paths import builtin_templates_dir

    return builtin_templates_dir() / "annex" / "phu_luc.toml"


# ------------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Column:
    key: str  # a fixed column key, an indicator / derived key, or "a+b" of indicator keys
    title: str
    width: float
    group: str = ""

    @property
    def operands(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.key.split("+"))


@dataclass(frozen=True)
class Block:
    area: str | None
    keys: tuple[str, ...] | None  # explicit indicator keys, in order; None: the whole area
    title: str
    number: str
    derived: bool = True


@dataclass(frozen=True)
class Sheet:
    kind: str
    name: str
    title: str
    columns: tuple[Column, ...]
    blocks: tuple[Block, ...] = ()
    levels: tuple[str, ...] = ()  # kind "don_vi": unit levels on this sheet; () = all


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    sheets: tuple[Sheet, ...]
    digest: str  # sha256 of the file's bytes, first 16 hex digits
    source: str = ""


class LayoutError(UserError, ValueError):
    """A layout file that cannot be used; `problems` are Vietnamese lines naming line and key."""

    def __init__(self, problems: list[str], path: str = ""):
        self.problems = problems
        head = f"{path}: " if path else ""
        super().__init__(head + "bố cục phụ lục có lỗi: " + "; ".join(problems))


# ------------------------------------------------------------------------------- locating lines


class _Lines:
    """Finds the line of a table header or key in the file text: tomllib gives no positions."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.sheets = self._headers("trang_tinh")
        self.columns = self._headers("trang_tinh.cot")
        self.blocks = self._headers("trang_tinh.bang")

    def _headers(self, name: str) -> list[int]:
        pat = re.compile(r"^\s*\[\[\s*" + re.escape(name).replace(r"\.", r"\s*\.\s*") + r"\s*\]\]")
        return [i + 1 for i, line in enumerate(self.lines) if pat.match(line)]

    def sheet(self, i: int) -> int | None:
        return self.sheets[i] if i < len(self.sheets) else None

    def _sub(self, headers: list[int], sheet: int, j: int) -> int | None:
        start = self.sheet(sheet) or 0
        end = self.sheet(sheet + 1) or (len(self.lines) + 1)
        inside = [h for h in headers if start < h < end]
        return inside[j] if j < len(inside) else start or None

    def column(self, sheet: int, j: int) -> int | None:
        return self._sub(self.columns, sheet, j)

    def block(self, sheet: int, j: int) -> int | None:
        return self._sub(self.blocks, sheet, j)

    def key(self, key: str, after: int | None, default: int | None = None) -> int | None:
        """The first line at or after `after` that assigns `key` (or mentions "key")."""
        pat = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        start = (after or 1) - 1
        for i in range(start, len(self.lines)):
            if i > start and self.lines[i].lstrip().startswith("[") and not self.lines[i].lstrip(
            ).startswith("[\""):
                break
            if pat.match(self.lines[i]):
                return i + 1
        return default if default is not None else after

    def text(self, needle: str, after: int | None) -> int | None:
        start = (after or 1) - 1
        for i in range(start, len(self.lines)):
            if needle in self.lines[i]:
                return i + 1
        return after


def _at(line: int | None) -> str:
    return f"Dòng {line}: " if line else ""


def _suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' Có phải là "{close[0]}"?' if close else ""


# ------------------------------------------------------------------------------- checking


def _placeholders(text: str) -> list[str]:
    return [m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS]


class _Checker:
    def __init__(self, text: str, cat: Catalog):
        self.lines = _Lines(text)
        self.cat = cat
        self.problems: list[str] = []
        self.area_keys = [a.key for a in cat.areas]
        self.all_keys = list(cat.indicators) + list(cat.derived)

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(_at(line) + message)

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], where: str,
                     line: int | None) -> None:
        for k in table:
            if k not in allowed:
                self.add(self.lines.key(k, line), f'{where}: khóa "{k}" không được hỗ trợ.'
                         + _suggest(k, allowed) + f" Các khóa dùng được: {', '.join(allowed)}.")

    def text_value(self, table: dict[str, Any], key: str, where: str, line: int | None,
                   required: bool = False) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(line, f'{where}: thiếu khóa "{key}".')
            return ""
        if not isinstance(value, str):
            self.add(self.lines.key(key, line),
                     f'{where}: "{key}" phải là chữ đặt trong dấu nháy kép (đang là {value!r}).')
            return ""
        if required and not value.strip():
            self.add(self.lines.key(key, line), f'{where}: "{key}" không được để trống.')
        for bad in _placeholders(value):
            self.add(self.lines.key(key, line),
                     f'{where}: "{key}" có ô thay thế không biết "{{{bad}}}".'
                     + _suggest(bad, PLACEHOLDERS)
                     + " Dùng được: " + ", ".join("{" + p + "}" for p in PLACEHOLDERS) + ".")
        return value

    def check(self, data: dict[str, Any]) -> None:
        self.unknown_keys(data, _TOP_KEYS, "Phần đầu tệp", None)
        version = data.get("phien_ban")
        if version is None:
            self.add(None, 'Thiếu khóa "phien_ban" ở đầu tệp (viết: phien_ban = 1).')
        elif version != FORMAT_VERSION or isinstance(version, bool):
            self.add(self.lines.key("phien_ban", 1),
                     f'"phien_ban" = {version!r} không được hỗ trợ; chương trình này đọc được '
                     f"phiên bản {FORMAT_VERSION}.")
        for key in ("ten", "mo_ta"):
            self.text_value(data, key, "Phần đầu tệp", 1)
        sheets = data.get("trang_tinh")
        if sheets is None:
            self.add(None, "Tệp chưa có trang tính nào: cần ít nhất một khối [[trang_tinh]].")
            return
        if not isinstance(sheets, list) or not all(isinstance(s, dict) for s in sheets):
            self.add(self.lines.key("trang_tinh", 1),
                     '"trang_tinh" phải được viết thành các khối [[trang_tinh]].')
            return
        if not sheets:
            self.add(None, "Tệp chưa có trang tính nào: cần ít nhất một khối [[trang_tinh]].")
        names: dict[str, int] = {}
        for i, sheet in enumerate(sheets):
            self.check_sheet(i, sheet, names)

    def check_sheet(self, i: int, sheet: dict[str, Any], names: dict[str, int]) -> None:
        line = self.lines.sheet(i)
        where = f"Trang tính thứ {i + 1}"
        name = sheet.get("ten")
        if isinstance(name, str) and name.strip():
            where += f' ("{name}")'
        self.unknown_keys(sheet, _SHEET_KEYS, where, line)
        name = self.text_value(sheet, "ten", where, line, required=True)
        if name:
            bad = sorted({c for c in name if c in _BAD_SHEET_CHARS})
            if bad:
                self.add(self.lines.key("ten", line),
                         f'{where}: tên trang tính không được chứa ký tự {" ".join(bad)}.')
            if len(name) > SHEET_NAME_MAX:
                self.add(self.lines.key("ten", line),
                         f"{where}: tên trang tính dài {len(name)} ký tự, Excel chỉ cho phép "
                         f"tối đa {SHEET_NAME_MAX}.")
            folded = name.strip().casefold()
            if folded in names:
                self.add(self.lines.key("ten", line),
                         f'{where}: tên "{name}" trùng với trang tính thứ {names[folded] + 1}.')
            names.setdefault(folded, i)
        self.text_value(sheet, "tieu_de", where, line)
        kind = sheet.get("loai")
        if kind is None:
            self.add(line, f'{where}: thiếu khóa "loai" ("chi_tieu" hoặc "don_vi").')
            return
        if kind not in SHEET_KINDS:
            self.add(self.lines.key("loai", line),
                     f'{where}: "loai" = {kind!r} không hợp lệ; chỉ dùng "chi_tieu" hoặc '
                     f'"don_vi".' + (_suggest(kind, SHEET_KINDS) if isinstance(kind, str) else ""))
            return
        if kind == "don_vi":
            self.check_levels(sheet, where, line)
            if "bang" in sheet:
                self.add(self.lines.key("bang", line, self.lines.block(i, 0)),
                         f'{where}: trang tính theo đơn vị không có [[trang_tinh.bang]]; '
                         f'các chỉ tiêu được chọn bằng các cột.')
        elif "cap" in sheet:
            self.add(self.lines.key("cap", line),
                     f'{where}: "cap" chỉ dùng cho trang tính có loai = "don_vi".')
        self.check_columns(i, sheet, kind, where)
        if kind == "chi_tieu":
            self.check_blocks(i, sheet, where)

    def check_levels(self, sheet: dict[str, Any], where: str, line: int | None) -> None:
        levels = sheet.get("cap")
        if levels is None:
            return
        at = self.lines.key("cap", line)
        if not isinstance(levels, list) or not all(isinstance(x, str) for x in levels):
            self.add(at, f'{where}: "cap" phải là danh sách, ví dụ cap = ["so_nganh"].')
            return
        for lv in levels:
            if lv not in LEVELS:
                self.add(at, f'{where}: cấp "{lv}" không có; dùng: {", ".join(LEVELS)}.'
                         + _suggest(lv, LEVELS))

    def check_columns(self, i: int, sheet: dict[str, Any], kind: str, where: str) -> None:
        cols = sheet.get("cot")
        line = self.lines.sheet(i)
        if cols is None:
            self.add(line, f"{where}: chưa có cột nào; thêm các khối [[trang_tinh.cot]].")
            return
        if not isinstance(cols, list) or not all(isinstance(c, dict) for c in cols):
            self.add(self.lines.key("cot", line),
                     f'{where}: "cot" phải được viết thành các khối [[trang_tinh.cot]].')
            return
        seen: dict[str, int] = {}
        fixed = INDICATOR_COLUMNS if kind == "chi_tieu" else UNIT_COLUMNS
        for j, col in enumerate(cols):
            cl = self.lines.column(i, j)
            cwhere = f"{where}, cột thứ {j + 1}"
            key = col.get("ma")
            if isinstance(key, str) and key:
                cwhere += f' ("{key}")'
            self.unknown_keys(col, _COLUMN_KEYS, cwhere, cl)
            self.text_value(col, "tieu_de", cwhere, cl)
            self.text_value(col, "nhom", cwhere, cl)
            width = col.get("do_rong")
            if width is not None and (isinstance(width, bool) or not isinstance(width, int | float)
                                      or not MIN_WIDTH <= width <= MAX_WIDTH):
                self.add(self.lines.key("do_rong", cl),
                         f'{cwhere}: "do_rong" phải là số từ {MIN_WIDTH} đến {MAX_WIDTH} '
                         f"(đang là {width!r}).")
            if key is None:
                self.add(cl, f'{cwhere}: thiếu khóa "ma" (cột chứa gì).')
                continue
            if not isinstance(key, str) or not key.strip():
                self.add(self.lines.key("ma", cl), f'{cwhere}: "ma" phải là chữ, không để trống.')
                continue
            kl = self.lines.key("ma", cl)
            if key in seen:
                self.add(kl, f'{cwhere}: cột "{key}" đã có ở cột thứ {seen[key] + 1}.')
            seen.setdefault(key, j)
            if kind == "chi_tieu":
                if key not in fixed:
                    self.add(kl, f'{cwhere}: "ma" = "{key}" không dùng được ở trang chỉ tiêu.'
                             + _suggest(key, tuple(fixed))
                             + f" Dùng được: {', '.join(fixed)}.")
            elif key not in fixed:
                self.check_unit_column(key, cwhere, kl)
        if kind == "chi_tieu":
            for need in ("chi_tieu", "ky_nay"):
                if need not in seen:
                    self.add(line, f'{where}: thiếu cột bắt buộc "{need}" '
                             f'({INDICATOR_COLUMNS[need].format(ky_bao_cao="kỳ báo cáo")}).')
        elif "don_vi" not in seen:
            self.add(line, f'{where}: thiếu cột bắt buộc "don_vi" (tên đơn vị).')

    def check_unit_column(self, key: str, where: str, line: int | None) -> None:
        parts = [p.strip() for p in key.split("+")]
        if len(parts) == 1:
            k = parts[0]
            if k in self.cat.indicators:
                return
            d = self.cat.derived.get(k)
            if d is not None:
                if d.kind != "percent":
                    self.add(line, f'{where}: "{k}" (thứ hạng) không tính được theo từng đơn vị.')
                return
            self.add(line, f'{where}: "ma" = "{k}" không phải cột cố định '
                     f'({", ".join(UNIT_COLUMNS)}) cũng không phải mã chỉ tiêu.'
                     + _suggest(k, list(UNIT_COLUMNS) + self.all_keys))
            return
        units = set()
        for p in parts:
            ind = self.cat.indicators.get(p)
            if ind is None:
                self.add(line, f'{where}: "{p}" trong tổng "{key}" không phải mã chỉ tiêu.'
                         + _suggest(p, list(self.cat.indicators)))
            else:
                units.add(ind.unit)
        if units and not units <= {"count"} and not units <= {"money_vnd"}:
            self.add(line, f'{where}: tổng "{key}" chỉ cộng được các chỉ tiêu đếm số lượng '
                     f"hoặc tiền cùng loại.")

    def check_blocks(self, i: int, sheet: dict[str, Any], where: str) -> None:
        blocks = sheet.get("bang")
        line = self.lines.sheet(i)
        if blocks is None:
            self.add(line, f"{where}: chưa có bảng chỉ tiêu nào; thêm các khối [[trang_tinh.bang]].")
            return
        if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
            self.add(self.lines.key("bang", line),
                     f'{where}: "bang" phải được viết thành các khối [[trang_tinh.bang]].')
            return
        for j, block in enumerate(blocks):
            bl = self.lines.block(i, j)
            bwhere = f"{where}, bảng thứ {j + 1}"
            self.unknown_keys(block, _BLOCK_KEYS, bwhere, bl)
            area = block.get("linh_vuc")
            if area is not None and area not in self.area_keys:
                self.add(self.lines.key("linh_vuc", bl),
                         f'{bwhere}: lĩnh vực {area!r} không có.'
                         + (_suggest(area, self.area_keys) if isinstance(area, str) else "")
                         + f" Dùng được: {', '.join(self.area_keys)}.")
            keys = block.get("chi_tieu")
            if keys is not None:
                kl = self.lines.key("chi_tieu", bl)
                if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                    self.add(kl, f'{bwhere}: "chi_tieu" phải là danh sách mã chỉ tiêu, ví dụ '
                             f'chi_tieu = ["vbqppl_ban_hanh", "vbqppl_kiem_tra"].')
                else:
                    if not keys:
                        self.add(kl, f'{bwhere}: danh sách "chi_tieu" đang trống.')
                    seen: set[str] = set()
                    for k in keys:
                        if k not in self.cat.indicators and k not in self.cat.derived:
                            self.add(self.lines.text(f'"{k}"', kl),
                                     f'{bwhere}: mã chỉ tiêu "{k}" không có trong danh mục.'
                                     + _suggest(k, self.all_keys))
                        elif k in seen:
                            self.add(self.lines.text(f'"{k}"', kl),
                                     f'{bwhere}: mã chỉ tiêu "{k}" ghi hai lần.')
                        seen.add(k)
            if area is None and keys is None:
                self.add(bl, f'{bwhere}: cần "linh_vuc" hoặc danh sách "chi_tieu".')
            if area is None and keys is not None and not block.get("tieu_de"):
                self.add(bl, f'{bwhere}: bảng không theo lĩnh vực cần có "tieu_de".')
            self.text_value(block, "tieu_de", bwhere, bl)
            self.text_value(block, "so_thu_tu", bwhere, bl)
            ratio = block.get("ty_le")
            if ratio is not None and not isinstance(ratio, bool):
                self.add(self.lines.key("ty_le", bl),
                         f'{bwhere}: "ty_le" chỉ nhận true hoặc false (đang là {ratio!r}).')


def _parse(text: str) -> tuple[dict[str, Any] | None, list[str]]:
    from app.boundary import check_tree

    try:
        data = tomllib.loads(text)
    except RecursionError:
        return None, ["Tệp có ngoặc lồng nhau quá sâu."]
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        if m:
            detail = msg[: m.start()].strip()
            return None, [f"Dòng {m.group(1)}, cột {m.group(2)}: tệp viết sai cú pháp "
                          f"({_toml_reason(detail)}). Kiểm tra dấu nháy kép, dấu = và ngoặc vuông."]
        return None, [f"Tệp viết sai cú pháp ({_toml_reason(msg)})."]
    problem = check_tree(data, max_depth=16, max_nodes=100_000)
    if problem:
        return None, [f"Tệp bố cục: {problem}"]
    return data, []


_TOML_REASONS = {
    "Invalid value": "giá trị không hợp lệ, chữ phải đặt trong dấu nháy kép",
    "Expected '=' after a key in a key/value pair": "thiếu dấu = sau tên khóa",
    "Cannot overwrite a value": "một khóa được ghi hai lần",
    "Cannot declare": "một khối được khai báo hai lần",
    "Unterminated string": "thiếu dấu nháy kép đóng",
    "Illegal character": "có ký tự không được phép",
    "Expected newline or end of document after a statement": "thừa chữ sau giá trị trên cùng dòng",
    "Unclosed array": "thiếu dấu ngoặc vuông đóng ]",
}


def _toml_reason(detail: str) -> str:
    for en, vi in _TOML_REASONS.items():
        if detail.startswith(en):
            return vi
    return detail


MAX_LAYOUT_BYTES = 1024 * 1024  # a layout is a few KB of text


def _read_text(path: Path) -> tuple[str | None, list[str]]:
    from app.boundary import read_bounded
    from app.errors import UserError

    try:
        raw = read_bounded(path, MAX_LAYOUT_BYTES, lambda problem: UserError(problem))
    except UserError as exc:
        return None, [f"Không đọc được tệp bố cục {path}: {exc}"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [f"Dòng {line}: tệp không phải UTF-8; hãy lưu lại tệp với bảng mã UTF-8."]
    return text, []


def check_layout_text(text: str, catalog: Catalog | None = None) -> list[str]:
    data, problems = _parse(text)
    if data is None:
        return problems
    checker = _Checker(text, catalog or load_catalog())
    checker.check(data)
    return checker.problems


def check_layout(path: str | Path) -> list[str]:
    """Every problem of a layout file as a Vietnamese line naming line and key; [] when clean."""
    text, problems = _read_text(Path(path))
    if text is None:
        return problems
    return check_layout_text(text)


# ------------------------------------------------------------------------------- loading


def _build(data: dict[str, Any], cat: Catalog, digest: str, source: str) -> Layout:
    sheets = []
    for s in data["trang_tinh"]:
        kind = s["loai"]
        fixed = INDICATOR_COLUMNS if kind == "chi_tieu" else UNIT_COLUMNS
        cols = []
        for c in s["cot"]:
            key = "+".join(p.strip() for p in c["ma"].split("+"))
            title = c.get("tieu_de") or fixed.get(key) or (
                cat.label(key) if "+" not in key else " + ".join(cat.label(p)
                                                                  for p in key.split("+")))
            width = float(c.get("do_rong") or _default_width(key, kind))
            cols.append(Column(key, title, width, c.get("nhom") or ""))
        blocks = []
        for b in s.get("bang") or ():
            area = b.get("linh_vuc")
            a = cat.area(area) if area else None
            keys = tuple(b["chi_tieu"]) if b.get("chi_tieu") is not None else None
            blocks.append(Block(
                area=area, keys=keys,
                title=b.get("tieu_de") or (a.heading if a else ""),
                number=b.get("so_thu_tu") or (a.section if a else ""),
                derived=b.get("ty_le", True),
            ))
        sheets.append(Sheet(kind=kind, name=s["ten"].strip(), title=s.get("tieu_de") or "",
                            columns=tuple(cols), blocks=tuple(blocks),
                            levels=tuple(s.get("cap") or ())))
    return Layout(name=data.get("ten") or "", description=data.get("mo_ta") or "",
                  sheets=tuple(sheets), digest=digest, source=source)


def _default_width(key: str, kind: str) -> float:
    return {"stt": 6, "chi_tieu": 60, "don_vi": 28, "ghi_chu": 18, "don_vi_tinh": 10}.get(
        key, 14 if kind == "chi_tieu" else 10)


_cache: dict[tuple[str, int, int], Layout] = {}


def load_layout(path: str | Path | None = None) -> Layout:
    """Read and check a layout file (the shipped default when `path` is None).

    Raises LayoutError with the Vietnamese problem lines when the file cannot be used."""
    p = Path(path) if path is not None else default_layout_path()
    try:
        st = p.stat()
        stamp = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    if stamp is not None and stamp in _cache:
        return _cache[stamp]
    text, problems = _read_text(p)
    if text is None:
        raise LayoutError(problems, str(p))
    data, problems = _parse(text)
    cat = load_catalog()
    if data is not None:
        checker = _Checker(text, cat)
        checker.check(data)
        problems = checker.problems
    if problems or data is None:
        raise LayoutError(problems, str(p))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    layout = _build(data, cat, digest, str(p))
    if stamp is not None:
        _cache[stamp] = layout
    return layout
