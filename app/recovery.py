"""Autosave and recovery: drafts written to the recovery folder of the data directory.

Each editing session owns one draft (`<id>.cchc.json` plus `<id>.meta.json`). A clean close
deletes it; a draft left behind by a process that is no longer running is offered for restore.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from app.boundary import read_bounded
from app.errors import UserError
from app.files import pid_alive
from app.model import Report
from app.settings import recovery_dir
from app.storage import ReportFileError, atomic_write, dump_report, load_report


class RecoveredDraft(NamedTuple):
    draft: Path
    meta: Path
    source: str | None  # the file the user was editing, if it had been saved once
    saved_at: datetime | None
    title: str  # unit and period, for the question to the user

    def load(self) -> Report:
        return load_report(self.draft)

    def discard(self) -> None:
        _remove(self.draft, self.meta)


def _remove(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


class Autosaver:
    """One editing session's draft in the recovery folder."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or recovery_dir()
        self.session = os.urandom(6).hex()  # not uuid: it imports `platform`, slow at start-up
        self.draft = self.folder / f"{self.session}.cchc.json"
        self.meta = self.folder / f"{self.session}.meta.json"

    def save(self, report: Report, source: str | os.PathLike[str] | None) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.draft, dump_report(report).encode("utf-8"), keep_backup=False)
        meta = {
            "pid": os.getpid(),
            "source": str(source) if source else None,
            "saved_at": datetime.now().isoformat(timespec="seconds"),
            "title": f"{report.unit.name} — {report.period.title}".strip(" —"),
        }
        atomic_write(self.meta, json.dumps(meta, ensure_ascii=False).encode("utf-8"),
                     keep_backup=False)
        return self.draft

    def discard(self) -> None:
        _remove(self.draft, self.meta)


def list_recovered(folder: Path | None = None) -> list[RecoveredDraft]:
    """Drafts left by sessions that ended without a clean close, newest first."""
    root = folder or recovery_dir()
    if not root.is_dir():
        return []
    found: list[RecoveredDraft] = []
    for meta in root.glob("*.meta.json"):
        draft = meta.with_name(meta.name.replace(".meta.json", ".cchc.json"))
        try:
            info = json.loads(read_bounded(meta, 64 * 1024, UserError))
        except (UserError, ValueError, RecursionError):
            info = {}
        if not isinstance(info, dict):
            info = {}
        pid = info.get("pid")
        if isinstance(pid, int) and pid_alive(pid):
            continue  # another window is still working on it
        if not draft.is_file():
            continue
        try:
            saved_at = datetime.fromisoformat(str(info.get("saved_at")))
        except ValueError:
            saved_at = None
        source = info.get("source") if isinstance(info.get("source"), str) else None
        title = info.get("title") if isinstance(info.get("title"), str) else draft.name
        found.append(RecoveredDraft(draft, meta, source, saved_at, title))
    found.sort(key=lambda d: d.saved_at or datetime.min, reverse=True)
    return found


def clean_at_start(recent_files: list[str] | None = None) -> list[Path]:
    """At start-up: remove the temporary files and locks that killed processes left in the
    per-user folders and beside the recent reports (a save or an export cut short)."""
    from app.files import clean_leftovers
    from app.settings import config_dir, data_dir

    folders = {recovery_dir(), data_dir(), config_dir()}
    folders.update(Path(p).parent for p in recent_files or [])
    removed: list[Path] = []
    for folder in folders:
        removed += clean_leftovers(folder)
    return removed


__all__ = ["Autosaver", "RecoveredDraft", "ReportFileError", "list_recovered"]
