"""The unit register of the province: departments (sở, ban, ngành), districts and communes.

Each unit has a name, a level, a code and the dates it is active from/to (units merge, as they
did in 2025). The register is a JSON file `units.json` in the per-user data folder, written
atomically; it can be imported from a simple Excel list (columns "Tên đơn vị", "Cấp", "Mã",
"Từ ngày", "Đến ngày"). Bad rows are refused whole with a message naming the file, the row, the
column, the value and the rule; nothing is half-imported.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from app.catalog import LEVEL_LABELS, LEVELS
from app.errors import UserError
from app.formatting import fold
from app.model import Period, Unit

REGISTER_FILE = "units.json"
MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_LIST_ROWS = 20_000


class UnitListError(UserError, ValueError):
    """A unit list or register that cannot be used; str() is Vietnamese and names the problem."""


def data_dir() -> Path:
    """The per-user data folder (app.settings.data_dir: $CCHC_DATA_DIR, the portable build's
    folder, or the system's per-user data folder), created when missing."""
    from app.settings import data_dir as settings_data_dir

    p = settings_data_dir()
    p.mkdir(parents=True, exist_ok=True)
    return p


_fold = fold  # case- and accent-insensitive form of a name, for matching units and headers


def unit_key(name: str, code: str = "") -> str:
    """How a unit is identified across files: its code when it has one, else its folded name."""
    return f"code:{code.strip().upper()}" if code.strip() else f"name:{_fold(name)}"


@dataclass
class RegisteredUnit:
    name: str
    level: str
    code: str = ""
    active_from: date | None = None
    active_to: date | None = None

    @property
    def key(self) -> str:
        return unit_key(self.name, self.code)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    def to_unit(self) -> Unit:
        return Unit(name=self.name, code=self.code, level=self.level)

    def expected_in(self, period: Period) -> bool:
        """Whether the unit is asked for figures of the period: active then, and its level
        still exists (no district level from 1/7/2025)."""
        return self.active_in(period) and not (self.level == "huyen" and period.is_two_tier)

    def active_in(self, period: Period) -> bool:
        """Active at any day of the period's data window."""
        start, end = period.window
        if self.active_from and self.active_from > end:
            return False
        if self.active_to and self.active_to < start:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "level": self.level, "code": self.code,
            "active_from": self.active_from.isoformat() if self.active_from else None,
            "active_to": self.active_to.isoformat() if self.active_to else None,
        }


def check_unit(u: RegisteredUnit, where: str = "") -> None:
    pre = f"{where}: " if where else ""
    if not u.name.strip():
        raise UnitListError(f"{pre}tên đơn vị không được để trống.")
    if u.level not in LEVELS:
        raise UnitListError(f"{pre}cấp “{u.level}” của đơn vị “{u.name}” không hợp lệ "
                            f"(dùng: {', '.join(LEVEL_LABELS.values())}).")
    if u.active_from and u.active_to and u.active_to < u.active_from:
        raise UnitListError(f"{pre}đơn vị “{u.name}”: ngày kết thúc {u.active_to:%d/%m/%Y} "
                            f"trước ngày bắt đầu {u.active_from:%d/%m/%Y}.")


def check_register(units: list[RegisteredUnit], where: str = "") -> None:
    """Every unit valid, and no two units with the same code or (without code) the same name."""
    seen: dict[str, str] = {}
    for u in units:
        check_unit(u, where)
        if u.key in seen:
            what = f"mã “{u.code}”" if u.code.strip() else f"tên “{u.name}”"
            pre = f"{where}: " if where else ""
            raise UnitListError(f"{pre}hai đơn vị trùng {what} (“{seen[u.key]}” và “{u.name}”).")
        seen[u.key] = u.name


def _date(v: Any, where: str) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        s = v.strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    raise UnitListError(f"{where}: “{v}” không phải là ngày (viết dạng 01/7/2025).")


MAX_REGISTER_BYTES = 20 * 1024 * 1024


_Text = Annotated[str, Meta(max_length=500)]
_Short = Annotated[str, Meta(max_length=100)]


class _Entry(msgspec.Struct, kw_only=True):
    """One unit of the saved register, as its file holds it."""

    name: _Text | None = None
    level: _Short | None = None
    code: _Short | None = None
    active_from: _Short | None = None
    active_to: _Short | None = None


class _RegisterFile(msgspec.Struct, kw_only=True):
    units: Annotated[list[_Entry], Meta(max_length=100_000)]


def load_register(path: Path | None = None) -> list[RegisteredUnit]:
    """The saved register (an empty list when none was saved yet). In team mode (a shared
    PostgreSQL store in the settings) the register is the team's, kept in the store; the file in
    the per-user data folder is its local copy, read when the server cannot be reached."""
    p = path or data_dir() / REGISTER_FILE
    if path is None:
        shared = _shared_register()
        if shared is not None:
            body = _register_body(shared)
            if not p.exists() or p.read_text(encoding="utf-8") != body:
                _write_local(p, body)
            return shared
    if not p.exists():
        return []
    where = str(p)
    from app.boundary import parse_json, read_bounded

    def fail(problem: str) -> UnitListError:
        return UnitListError(f"{where}: không đọc được danh sách đơn vị: {problem}")

    from app.boundary import decode

    data = parse_json(read_bounded(p, MAX_REGISTER_BYTES, fail), fail)
    if not isinstance(data, dict) or "units" not in data:
        raise UnitListError(f"{where}: tệp không phải danh sách đơn vị.")
    register = decode(data, _RegisterFile, fail)
    return units_from_dicts(register.units, where)


def units_from_dicts(items: list[Any], where: str) -> list[RegisteredUnit]:
    """Registered units from decoded entries (or plain dicts, as the shared store keeps them,
    which go through the same typed boundary)."""
    if items and isinstance(items[0], dict):
        from app.boundary import decode

        def fail(problem: str) -> UnitListError:
            return UnitListError(f"{where}: không đọc được danh sách đơn vị: {problem}")

        items = decode({"units": items}, _RegisterFile, fail).units
    out = []
    for i, d in enumerate(items, 1):
        out.append(RegisteredUnit(
            name=d.name or "", level=d.level or "", code=d.code or "",
            active_from=_date(d.active_from, f"{where}, mục {i}"),
            active_to=_date(d.active_to, f"{where}, mục {i}"),
        ))
    check_register(out, where)
    return out


def save_register(units: list[RegisteredUnit], path: Path | None = None) -> Path:
    """Save the register; in team mode into the shared store first (refused as a whole when the
    server cannot be reached), then its local copy."""
    check_register(units)
    p = path or data_dir() / REGISTER_FILE
    if path is None:
        from app.store.engine import shared_address

        address = shared_address()
        if address:
            from app.history import History

            with History(address) as h:
                h.save_register([u.to_dict() for u in units])
    _write_local(p, _register_body(units))
    return p


def _register_body(units: list[RegisteredUnit]) -> str:
    body = {"format": "cchc-units", "format_version": 1, "units": [u.to_dict() for u in units]}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _write_local(p: Path, body: str) -> None:
    from app.storage import atomic_write

    atomic_write(p, body.encode("utf-8"))


def _shared_register() -> list[RegisteredUnit] | None:
    """The team's register from the shared store; None when there is no shared store, it holds
    no register yet, or it cannot be reached (the local copy serves then)."""
    from app.store.engine import shared_address

    address = shared_address()
    if not address:
        return None
    from app.history import History
    from app.store.engine import StoreError

    try:
        with History(address) as h:
            items = h.register()
            where = h.where
    except StoreError:
        return None
    return units_from_dicts(items, where) if items else None


_LEVEL_WORDS = {
    **{lvl: lvl for lvl in LEVELS},
    **{_fold(label): lvl for lvl, label in LEVEL_LABELS.items()},
    "tinh": "tinh", "so": "so_nganh", "so, ban, nganh": "so_nganh", "so ban nganh": "so_nganh",
    "nganh": "so_nganh", "huyen": "huyen", "xa": "xa", "xa, phuong": "xa", "phuong": "xa",
    "xa, phuong, dac khu": "xa", "dac khu": "xa",
}
_HEADERS = {
    "name": ("ten don vi", "ten", "don vi", "ten co quan, don vi", "ten co quan"),
    "level": ("cap", "cap don vi", "cap hanh chinh"),
    "code": ("ma", "ma don vi", "ma dinh danh"),
    "active_from": ("tu ngay", "hoat dong tu", "hieu luc tu", "ngay bat dau"),
    "active_to": ("den ngay", "hoat dong den", "hieu luc den", "ngay ket thuc"),
}


def parse_level(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    return _LEVEL_WORDS.get(_fold(text)) or _LEVEL_WORDS.get(text.strip())


def import_unit_list(path: str | os.PathLike[str]) -> list[RegisteredUnit]:
    """Read a simple Excel list of units (first sheet; a header row naming the columns).

    Required columns: "Tên đơn vị" and "Cấp"; optional: "Mã", "Từ ngày", "Đến ngày". The whole
    list is refused on the first bad row, naming it.
    """
    from app.intake import open_workbook_safely

    p = Path(path)
    wb = open_workbook_safely(p, MAX_LIST_BYTES, UnitListError)
    try:
        ws = wb.worksheets[0]
        cols: dict[str, int] = {}
        out: list[RegisteredUnit] = []
        header_row = 0
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            if r > MAX_LIST_ROWS:
                raise UnitListError(f"{p.name}: danh sách quá dài (hơn {MAX_LIST_ROWS:,} dòng)."
                                    .replace(",", "."))
            if not cols:
                found = {}
                for c, v in enumerate(row):
                    if isinstance(v, str):
                        f = _fold(v)
                        for field, names in _HEADERS.items():
                            if f in names and field not in found:
                                found[field] = c
                if "name" in found and "level" in found:
                    cols, header_row = found, r
                elif r >= 20:
                    break
                continue

            def cell(field: str, row: tuple = row, cols: dict[str, int] = cols) -> Any:
                c = cols.get(field)
                return row[c] if c is not None and c < len(row) else None

            name = cell("name")
            if name is None or (isinstance(name, str) and not name.strip()):
                continue
            where = f"{p.name}, dòng {r}"
            if not isinstance(name, str):
                raise UnitListError(f"{where}, cột “Tên đơn vị”: “{name}” không phải là tên.")
            if name.strip().startswith("="):
                raise UnitListError(f"{where}, cột “Tên đơn vị”: “{name}” là công thức, không phải tên.")
            raw_level = cell("level")
            level = parse_level(raw_level)
            if level is None:
                raise UnitListError(
                    f"{where}, cột “Cấp”: “{raw_level if raw_level is not None else ''}” không phải là cấp "
                    f"đơn vị (dùng: {', '.join(LEVEL_LABELS.values())}).")
            code = cell("code")
            code = "" if code is None else (str(int(code)) if isinstance(code, float) and code.is_integer() else str(code)).strip()
            u = RegisteredUnit(
                name=" ".join(name.split()), level=level, code=code,
                active_from=_date(cell("active_from"), f"{where}, cột “Từ ngày”"),
                active_to=_date(cell("active_to"), f"{where}, cột “Đến ngày”"),
            )
            check_unit(u, where)
            out.append(u)
        if not cols:
            raise UnitListError(f"{p.name}: không tìm thấy dòng tiêu đề có cột “Tên đơn vị” và “Cấp”.")
        if not out:
            raise UnitListError(f"{p.name}: danh sách không có đơn vị nào (sau dòng tiêu đề {header_row}).")
        check_register(out, p.name)
        return out
    finally:
        wb.close()


def merge_units(existing: list[RegisteredUnit], incoming: list[RegisteredUnit]
                ) -> tuple[list[RegisteredUnit], int, int]:
    """Add new units and update known ones (same code, or same name without code).
    Returns (register, added, updated)."""
    by_key = {u.key: i for i, u in enumerate(existing)}
    out = list(existing)
    added = updated = 0
    for u in incoming:
        i = by_key.get(u.key)
        if i is None:
            by_key[u.key] = len(out)
            out.append(u)
            added += 1
        elif out[i] != u:
            out[i] = u
            updated += 1
    check_register(out)
    return out, added, updated


def find_unit(units: list[RegisteredUnit], name: str, code: str = "") -> RegisteredUnit | None:
    key = unit_key(name, code)
    for u in units:
        if u.key == key:
            return u
    if code:  # a file may carry the code while the register knows only the name, or vice versa
        fname = _fold(name)
        for u in units:
            if not u.code and _fold(u.name) == fname:
                return u
    else:
        fname = _fold(name)
        for u in units:
            if _fold(u.name) == fname:
                return u
    return None
