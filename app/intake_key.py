"""The installation's secret for intake workbooks: it signs each workbook's identity (unit, code,
level, period, catalogue version) and its rows (indicator key and label), and sets the sheet
protection password, so a workbook cannot be re-addressed to another unit or indicator unnoticed.

The secret is made once, at random, in the per-user data folder (`khoa-phieu-so-lieu.key`). The
Sở keeps it: specialists who send and receive forms together copy this file to each machine
(and the team store's machines); a form signed elsewhere is refused unless an administrator
accepts it explicitly.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from app.errors import UserError

KEY_FILE = "khoa-phieu-so-lieu.key"
KEY_BYTES = 32


class IntakeKeyError(UserError):
    """The installation's secret cannot be read or made."""


def key_path() -> Path:
    from app.settings import data_dir

    return data_dir() / KEY_FILE


def installation_key() -> bytes:
    """The secret of this installation, made on first use."""
    from app.boundary import read_bounded

    path = key_path()

    def fail(problem: str) -> IntakeKeyError:
        return IntakeKeyError(f"{path}: khóa ký phiếu số liệu: {problem}")

    if not path.exists():
        _create(path, fail)
    text = read_bounded(path, 1024, fail).decode("ascii", "replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise fail("tệp khóa bị hỏng (cần 64 chữ số thập lục phân); hãy chép lại tệp khóa của Sở.")
    return key


def _create(path: Path, fail) -> None:  # noqa: ANN001 - fail: str -> IntakeKeyError
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process made it a moment ago
    except OSError as exc:
        raise fail(f"không tạo được ({exc.strerror}).") from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(os.urandom(KEY_BYTES).hex() + "\n")
        f.flush()
        os.fsync(f.fileno())


def key_id(key: bytes) -> str:
    """A short public name of a secret (printed on the form; says which installation made it)."""
    return hashlib.sha256(b"cchc-intake-key-id\n" + key).hexdigest()[:8]


def sign(key: bytes, parts: list[str]) -> str:
    return hmac.new(key, "\n".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def signatures_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def protection_password(key: bytes) -> str:
    """The sheet-protection password of this installation's forms (Excel's protection only
    keeps honest people honest; the signature is what refuses an edited form)."""
    return hmac.new(key, b"sheet-protection", hashlib.sha256).hexdigest()[:16]
