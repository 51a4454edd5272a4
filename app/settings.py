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
from pathlib import Path
from typing import Any

from app import APP_ID
from app.agency import AGENCY_CHOICES, SIGNER_ROLES
from app.vocabulary import LEVEL_LABELS

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


def setting(default: Any, title: str = "", widget: str = "line", **hints: Any) -> Any:
    """Declare a setting once: its default, its Vietnamese title and how it is edited.

    `widget`: "line" (one line of text), "lines" (a list, one item a line), "text" (a few lines
    kept as one text), "choice" (`choices`: value → label), "number" (`minimum`, `maximum`,
    `suffix`), "folder" (a folder chosen with a button). A setting without a title is kept by the
    program but not shown in the settings dialog (recent files)."""
    meta = {"title": title, "widget": widget, **hints}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Settings:
    """Every setting, declared once: name, type, default, title and widget."""

    agency_kind: str = setting("ubnd_tinh", "Loại cơ quan", "choice", choices=AGENCY_CHOICES)
    agency_name: str = setting("", "Tên cơ quan ban hành")
    issuer_lines: list[str] = setting(
        [], "Tên cơ quan ở tiêu đề văn bản (mỗi dòng một dòng; để trống: tự xuống dòng trước "
            "tên tỉnh)", "lines")
    province: str = setting("", "Tỉnh, thành phố (địa danh)")
    unit_code: str = setting("UBND", "Chữ viết tắt cơ quan")
    level: str = setting("tinh", "Cấp đơn vị", "choice", choices=LEVEL_LABELS)
    governing_body: str = setting("", "Cơ quan chủ quản")
    default_symbol: str = setting("BC-UBND", "Ký hiệu văn bản")
    recipients: list[str] = setting(["Bộ Nội vụ"], "Kính gửi (mỗi dòng một nơi)", "lines")
    distribution: list[str] = setting(["Như trên", "Lưu: VT, SNV"], "Nơi nhận (mỗi dòng một nơi)",
                                      "lines")
    signer_authority: str = setting("TM. ỦY BAN NHÂN DÂN", "Thẩm quyền ký")
    signer_position: str = setting("CHỦ TỊCH", "Chức vụ người ký", "text")
    signer_name: str = setting("", "Họ và tên người ký")
    # the head signs, or a deputy signs on the head's behalf (KT.)
    signer_role: str = setting("head", "Người ký", "choice", choices=SIGNER_ROLES)
    template_folder: str = setting("", "Thư mục mẫu báo cáo", "folder")
    # writing.md §6: one rule for every generated count, rank change and ratio part
    number_padding: str = setting(
        "pad", "Số từ 1 đến 9 trong câu văn", "choice",
        choices={"pad": "Thêm số 0 phía trước (09 bộ, tăng 03 bậc)",
                 "plain": "Không thêm số 0 (9 bộ, tăng 3 bậc)"})
    autosave_interval_s: int = setting(30, "Tự động lưu sau mỗi", "number", minimum=5,
                                       maximum=3600, suffix=" giây")
    recent_files: list[str] = setting([])
    # the Word template of the last export: the export window opens on it (and, when it has
    # figures, starts drawing them at once)
    last_template: str = setting("")
    # digital signatures (app.pdf): the token's PKCS#11 library, a time-stamp server (blank: no
    # time stamp), the signature and seal images (transparent PNG), the seal's real diameter;
    # the last PKCS#12 file is remembered by the signing dialog. The PIN is never stored.
    pkcs11_library: str = setting("", "Thư viện PKCS#11 của USB token (.dll)")
    tsa_url: str = setting("", "Máy chủ dấu thời gian (để trống nếu không dùng)")
    signature_image: str = setting("", "Ảnh chữ ký người ký (PNG nền trong suốt)")
    seal_image: str = setting("", "Ảnh con dấu cơ quan (PNG nền trong suốt)")
    seal_size_mm: int = setting(36, "Đường kính con dấu", "number", minimum=20, maximum=60,
                                suffix=" mm")
    p12_file: str = setting("")
    # the department's shared store (PostgreSQL address, no password: that stays in the OS
    # credential store); empty = the private SQLite history in the per-user data folder
    store_url: str = setting("", "Kho dùng chung (địa chỉ PostgreSQL, để trống nếu làm một mình)")

    def add_recent(self, path: str | os.PathLike[str]) -> None:
        p = str(Path(path).resolve())
        self.recent_files = [p] + [r for r in self.recent_files if r != p]
        del self.recent_files[MAX_RECENT:]


def declared() -> list[Any]:
    """The settings shown to the user, in declaration order (dataclasses.Field objects whose
    `metadata` holds title, widget and hints)."""
    return [f for f in fields(Settings) if f.metadata.get("title")]


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
    from app.boundary import check_tree, read_bounded
    from app.errors import UserError

    s = Settings()
    try:
        raw = json.loads(read_bounded(settings_path(), MAX_SETTINGS_BYTES, UserError))
    except (UserError, ValueError, RecursionError):
        return s
    if check_tree(raw):
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
    body = asdict(s)
    body["store_url"] = without_password(s.store_url)  # passwords live in the OS credential store
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, text.encode("utf-8"), keep_backup=False)


def apply_agency(s: Settings, details: Any) -> None:
    """Take every document detail an app.agency.AgencyDetails derives."""
    for name in ("level", "agency_name", "governing_body", "unit_code", "default_symbol",
                 "signer_authority", "signer_position"):
        setattr(s, name, getattr(details, name))
    s.recipients = list(details.recipients)
    s.distribution = list(details.distribution)


def without_password(address: str) -> str:
    """A store address with any password taken out (`postgresql://u:pw@h/db` → `…//u@h/db`)."""
    import re

    return re.sub(r"^([A-Za-z][\w+.-]*://[^:/@]*):[^@/]*@", r"\1@", address.strip())
