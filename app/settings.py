"""User settings: agency and signer defaults, template folder, autosave interval, recent files.

Stored as JSON in the per-user configuration folder (platformdirs). Every folder can be moved by
an environment variable (CCHC_CONFIG_DIR, CCHC_DATA_DIR) — tests and a portable build need
nothing else — and a file `portable.txt` beside the executable keeps everything next to it.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from app import APP_ID
from app.vocabulary import PHASE

SETTINGS_FILE = "settings.json"
MAX_RECENT = 8


def _portable_root() -> Path | None:
    root = Path(sys.executable).resolve().parent
    return root if (root / "portable.txt").is_file() else None


def _user_dir(env_var: str, portable_name: str, kind: str) -> Path:
    """$env_var when set (tests), else the portable copy's folder, else the system's per-user
    folder of that kind ("config" or "data", from platformdirs)."""
    env = os.environ.get(env_var)
    if env:
        return Path(env)
    portable = _portable_root()
    if portable is not None:
        return portable / portable_name
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_ID, appauthor=False))


def config_dir() -> Path:
    """Where settings.json lives."""
    return _user_dir("CCHC_CONFIG_DIR", "settings", "config")


def data_dir() -> Path:
    """Where recovery drafts, the local history and the unit register live."""
    return _user_dir("CCHC_DATA_DIR", "data", "data")


def recovery_dir() -> Path:
    return data_dir() / "recovery"


def history_path() -> Path:
    """The local history store (app.history); here so the editor can look for it at start-up
    without importing sqlite3."""
    return data_dir() / "history.sqlite3"


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


@dataclass
class Settings:
    """Every setting, declared once: name, type and default. TITLES gives the Vietnamese title."""

    agency_name: str = ""
    province: str = ""
    unit_code: str = "UBND"
    level: str = "tinh"
    governing_body: str = ""
    default_symbol: str = "BC-UBND"
    recipients: list[str] = field(default_factory=lambda: ["Bộ Nội vụ"])
    distribution: list[str] = field(default_factory=lambda: ["Như trên", "Lưu: VT, SNV"])
    signer_authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_position: str = "CHỦ TỊCH"
    signer_name: str = ""
    template_folder: str = ""
    autosave_interval_s: int = 30
    recent_files: list[str] = field(default_factory=list)

    def add_recent(self, path: str | os.PathLike[str]) -> None:
        p = str(Path(path).resolve())
        self.recent_files = [p] + [r for r in self.recent_files if r != p]
        del self.recent_files[MAX_RECENT:]


TITLES: dict[str, str] = {
    "agency_name": "Tên cơ quan ban hành",
    "province": "Tỉnh, thành phố (địa danh)",
    "unit_code": "Chữ viết tắt cơ quan",
    "level": "Cấp đơn vị",
    "governing_body": "Cơ quan chủ quản",
    "default_symbol": "Ký hiệu văn bản",
    "recipients": "Kính gửi (mỗi dòng một nơi)",
    "distribution": "Nơi nhận (mỗi dòng một nơi)",
    "signer_authority": "Thẩm quyền ký",
    "signer_position": "Chức vụ người ký",
    "signer_name": "Họ và tên người ký",
    "template_folder": "Thư mục mẫu báo cáo",
    "autosave_interval_s": "Tự động lưu sau mỗi (giây)",
}


def _coerce(name: str, value: Any, default: Any) -> Any:
    """Take a stored value only when its type matches the declaration; otherwise the default."""
    if isinstance(default, bool) or value is None:
        return default
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_SETTING_INT
        return value if ok else default
    if isinstance(default, str):
        return value if isinstance(value, str) and len(value) <= MAX_SETTING_TEXT else default
    if isinstance(default, list):
        return [v for v in value[:200] if isinstance(v, str) and len(v) <= MAX_SETTING_TEXT] \
            if isinstance(value, list) else default
    return default


def settings_exist() -> bool:
    return settings_path().is_file()


MAX_SETTINGS_BYTES = 1024 * 1024
MAX_SETTING_TEXT = 4_000
MAX_SETTING_INT = 86_400  # a whole day, in seconds: the largest interval a setting means


def load_settings() -> Settings:
    """Read the settings; a missing or broken file gives the defaults (never an exception)."""
    from app.boundary import parse_json, read_bounded
    from app.errors import UserError

    s = Settings()
    try:
        raw = parse_json(read_bounded(settings_path(), MAX_SETTINGS_BYTES, UserError), UserError)
    except UserError:
        return s
    if not isinstance(raw, dict):
        return s
    for f in fields(Settings):
        if f.name in raw:
            setattr(s, f.name, _coerce(f.name, raw[f.name], getattr(s, f.name)))
    return s


def save_settings(s: Settings) -> None:
    from app.storage import atomic_write

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(s), ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, text.encode("utf-8"), keep_backup=False)


def likely_period(today: date) -> tuple[str, int]:
    """The report staff are most likely drafting now (reports are due around the 20th)."""
    if today.month <= 1:
        return "nam", today.year - 1
    if today.month <= 4:
        return "quy_1", today.year
    if today.month <= 7:
        return "sau_thang", today.year
    if today.month <= 10:
        return "quy_3", today.year
    return "nam", today.year


def new_report(s: Settings, *, name: str, level: str, kind: str, year: int | None = None,
               from_year: int | None = None, to_year: int | None = None) -> Any:
    """A blank report for a unit and period, with document details taken from the settings."""
    from app.model import DocumentInfo, Period, Report, Signer, Unit

    period = Period(kind, None, from_year, to_year) if kind == PHASE else Period(kind, year)
    return Report(
        unit=Unit(name=name, code=s.unit_code, level=level, governing_body=s.governing_body),
        period=period,
        document=DocumentInfo(
            symbol=s.default_symbol, place=s.province, to=list(s.recipients),
            distribution=list(s.distribution),
            signer=Signer(s.signer_authority, s.signer_position, s.signer_name),
        ),
    )
