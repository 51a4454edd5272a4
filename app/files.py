"""Writing files safely beside the user's: temporary names that say which process made them,
cleaning what a killed process left behind, and lock files that serialise writers of one target.

A temporary file is `.<target name>.<pid>-<random>.tmp<suffix>` in the target's folder; a lock
is `.<target name>.lock` holding the writer's process id. Whatever belongs to a process that no
longer runs is removed by the next writer of that folder or by the next start (`clean_leftovers`).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import UserError

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.tmp(\.[A-Za-z0-9]+)?$")
_OLD_TEMP = re.compile(r"^(\.(?!.*\.\d+-[0-9a-f]{8}\.tmp).+\.[A-Za-z0-9_]{8}\.tmp|\.~[A-Za-z0-9_]{8}\.\w+)$")
OLD_TEMP_AGE_S = 600  # temporary names of earlier versions carry no process id: wait this long
LOCK_WAIT_S = 60.0


class FileBusy(UserError):
    """Another program keeps writing the same target."""


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))  # type: ignore[attr-defined]
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temp_path(target: Path, keep_suffix: bool = False) -> Path:
    """A new, exclusively created, empty temporary file beside `target`."""
    folder = target.parent if str(target.parent) else Path(".")
    suffix = target.suffix if keep_suffix else ""
    while True:
        tmp = folder / f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp{suffix}"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp


def remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def clean_leftovers(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temporary files and locks in `folder` left by processes that no longer run."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time() if now is None else now
    for e in entries:
        name = e.name
        if not name.startswith("."):
            continue
        m = _TEMP.match(name)
        stale = False
        if m:
            stale = not pid_alive(int(m.group("pid")))
        elif name.endswith(".lock"):
            stale = _lock_owner(Path(e.path)) is None
        elif _OLD_TEMP.match(name):
            try:
                stale = now - e.stat().st_mtime > OLD_TEMP_AGE_S
            except OSError:
                stale = False
        if stale:
            try:
                os.unlink(e.path)
                removed.append(Path(e.path))
            except OSError:
                pass
    return removed


def _lock_owner(lock: Path) -> int | None:
    """The live process holding a lock, or None when the lock is stale (or gone)."""
    try:
        text = lock.read_text(encoding="ascii", errors="replace").strip()
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return None
    if text.isdigit() and pid_alive(int(text)):
        return int(text)
    if not text and age < 5:  # being written by its owner right now
        return -1
    return None


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextmanager
def locked(targets: Iterable[str | os.PathLike[str]], wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the lock files of every target (in a fixed order, so two writers cannot deadlock);
    wait while another running process holds one; a lock of a dead process is taken over."""
    paths = sorted({Path(t).resolve() for t in targets}, key=str)
    held: list[Path] = []
    try:
        for target in paths:
            held.append(_acquire(lock_path(target), target, wait_s))
        yield
    finally:
        for lock in reversed(held):
            remove_quietly(lock)


def _acquire(lock: Path, target: Path, wait_s: float) -> Path:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _lock_owner(lock) is None:
                remove_quietly(lock)
                continue
            if time.monotonic() > deadline:
                raise FileBusy(f"{target}: một chương trình khác đang ghi tệp này; hãy thử lại sau "
                               f"(nếu không còn chương trình nào đang ghi, xóa tệp {lock.name}).") from None
            time.sleep(0.05)
            continue
        except OSError as exc:
            raise FileBusy(f"{target}: không tạo được tệp khóa ({exc.strerror}).") from None
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(str(os.getpid()))
        return lock


def cached_bytes(folder: Path, name: str) -> bytes | None:
    """A file of a disk cache (`keep_cached`), or None when it is not there or unreadable."""
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def keep_cached(folder: Path, name: str, data: bytes, keep: int) -> None:
    """Write a file of a disk cache whole (a temporary file, then renamed) and keep only the
    `keep` newest files of the folder with the same suffix. A cache that cannot be written (a
    read-only profile, a full disk) is no error: the caller computes again next time."""
    path = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        kept = sorted(folder.glob(f"*{path.suffix}"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
