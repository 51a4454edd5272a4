"""The local history store: every report and every unit submission, per unit and period, in one
SQLite file in the per-user data folder ($CCHC_DATA_DIR, else platformdirs' user data dir).

Every change runs in a transaction: an import of many files is stored whole or not at all. A
unit's newer submission replaces the older one only after confirmation: `add_submission` returns
a "would_replace" result (nothing written) until it is called again with `replace=True`. The
replaced version is kept (inactive), never deleted.

`find_previous(report)` returns the same period kind of the year before for the same unit — the
editor calls it for comparisons (rules P01–P02, "tăng … so với cùng kỳ").
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.intake import Submission
from app.model import Period, Report, Unit
from app.settings import history_path as settings_history_path
from app.units import unit_key

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    period_key TEXT NOT NULL,
    period_json TEXT NOT NULL,
    unit_key TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    unit_level TEXT NOT NULL,
    kind TEXT NOT NULL,
    file TEXT NOT NULL,
    received TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    values_json TEXT NOT NULL,
    explanations_json TEXT NOT NULL DEFAULT '{}',
    warnings_json TEXT NOT NULL DEFAULT '[]',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_active
    ON submissions(period_key, unit_key) WHERE active = 1;
CREATE TABLE IF NOT EXISTS rejections (
    id INTEGER PRIMARY KEY,
    period_key TEXT,
    unit_key TEXT,
    unit_name TEXT NOT NULL DEFAULT '',
    file TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejections_period ON rejections(period_key);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    period_key TEXT NOT NULL,
    period_json TEXT NOT NULL,
    unit_key TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    report_json TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS reports_active ON reports(period_key, unit_key) WHERE active = 1;
"""


class HistoryError(UserError, RuntimeError):
    """The history store cannot be used; str() is one Vietnamese line."""


def history_path() -> Path:
    """The store lives in the per-user data folder, created when missing."""
    p = settings_history_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _period_json(p: Period) -> str:
    return json.dumps({"kind": p.kind, "year": p.year, "from_year": p.from_year, "to_year": p.to_year})


def _period_from_json(text: str) -> Period:
    d = json.loads(text)
    return Period(d["kind"], d.get("year"), d.get("from_year"), d.get("to_year"))


@dataclass
class StoredSubmission:
    id: int
    unit: Unit
    period: Period
    kind: str
    file: str
    received: datetime
    imported_at: datetime
    values: dict[str, int | float]
    explanations: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return unit_key(self.unit.name, self.unit.code)

    def to_submission(self) -> Submission:
        return Submission(unit=Unit(self.unit.name, self.unit.code, self.unit.level),
                          period=self.period, values=dict(self.values), file=self.file,
                          received=self.received, kind=self.kind,
                          explanations=dict(self.explanations), warnings=list(self.warnings))


@dataclass
class AddResult:
    """status: "added" | "replaced" | "unchanged" (same figures already stored, nothing written)
    | "would_replace" (an older submission exists; nothing written until confirmed)."""

    status: str
    submission: Submission
    previous: StoredSubmission | None = None


@dataclass
class StoredRejection:
    unit_name: str
    unit_key: str | None
    file: str
    at: datetime
    reason: str


class History:
    """One SQLite file; use as a context manager or call close(). One instance per thread."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else history_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=10)
            self.conn.execute("PRAGMA foreign_keys = ON")
            with self.conn:
                self.conn.executescript(_SCHEMA)
                row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is None:
                    self.conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                elif int(row[0]) > SCHEMA_VERSION:
                    raise HistoryError(f"{self.path}: kho lịch sử do phiên bản mới hơn của chương "
                                       f"trình tạo; hãy cập nhật chương trình.")
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"{self.path}: không mở được kho lịch sử ({exc}).") from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---------------------------------------------------------------- submissions

    def _row_to_stored(self, row: tuple) -> StoredSubmission:
        (id_, period_json, name, code, level, kind, file, received, imported_at, values_json,
         expl_json, warn_json) = row
        return StoredSubmission(
            id=id_, unit=Unit(name, code, level), period=_period_from_json(period_json), kind=kind,
            file=file, received=datetime.fromisoformat(received),
            imported_at=datetime.fromisoformat(imported_at), values=json.loads(values_json),
            explanations=json.loads(expl_json), warnings=json.loads(warn_json))

    _COLS = ("id, period_json, unit_name, unit_code, unit_level, kind, file, received, imported_at, "
             "values_json, explanations_json, warnings_json")

    def current(self, period: Period, key: str) -> StoredSubmission | None:
        row = self.conn.execute(
            f"SELECT {self._COLS} FROM submissions WHERE period_key=? AND unit_key=? AND active=1",
            (period.key(), key)).fetchone()
        return self._row_to_stored(row) if row else None

    def check(self, sub: Submission) -> AddResult:
        """What adding would do, without writing anything."""
        old = self.current(sub.period, sub.key)
        if old is None:
            return AddResult("added", sub)
        if old.values == sub.values and old.unit.level == sub.unit.level:
            return AddResult("unchanged", sub, old)
        return AddResult("would_replace", sub, old)

    def _insert(self, sub: Submission) -> None:
        self.conn.execute(
            "INSERT INTO submissions (period_key, period_json, unit_key, unit_name, unit_code, "
            "unit_level, kind, file, received, imported_at, values_json, explanations_json, "
            "warnings_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (sub.period.key(), _period_json(sub.period), sub.key, sub.unit.name, sub.unit.code,
             sub.unit.level, sub.kind, sub.file, sub.received.isoformat(timespec="seconds"),
             datetime.now().isoformat(timespec="seconds"),
             json.dumps(sub.values, ensure_ascii=False),
             json.dumps(sub.explanations, ensure_ascii=False),
             json.dumps(sub.warnings, ensure_ascii=False)))

    def _apply(self, sub: Submission, replace: bool) -> AddResult:
        result = self.check(sub)
        if result.status == "would_replace" and replace:
            assert result.previous is not None
            self.conn.execute("UPDATE submissions SET active=0 WHERE id=?", (result.previous.id,))
            self._insert(sub)
            return AddResult("replaced", sub, result.previous)
        if result.status == "added":
            self._insert(sub)
        return result

    def add_submission(self, sub: Submission, replace: bool = False) -> AddResult:
        """Store a submission. An existing one of the same unit and period is replaced only with
        replace=True; otherwise the result is "would_replace" and nothing is written."""
        return self.add_submissions([sub], {sub.key} if replace else set())[0]

    def add_submissions(self, subs: Iterable[Submission], replace: set[str] | None = None
                        ) -> list[AddResult]:
        """Store many submissions in one transaction (all or nothing). `replace` holds the unit
        keys whose older submission the user agreed to replace."""
        replace = replace or set()
        try:
            with self.conn:
                return [self._apply(s, s.key in replace) for s in subs]
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"{self.path}: không ghi được vào kho lịch sử ({exc}).") from None

    def submissions(self, period: Period) -> list[StoredSubmission]:
        rows = self.conn.execute(
            f"SELECT {self._COLS} FROM submissions WHERE period_key=? AND active=1 ORDER BY unit_name",
            (period.key(),)).fetchall()
        return [self._row_to_stored(r) for r in rows]

    def versions(self, period: Period, key: str) -> list[StoredSubmission]:
        """Every submission a unit made for a period, newest first (replaced ones included)."""
        rows = self.conn.execute(
            f"SELECT {self._COLS} FROM submissions WHERE period_key=? AND unit_key=? ORDER BY id DESC",
            (period.key(), key)).fetchall()
        return [self._row_to_stored(r) for r in rows]

    def periods(self) -> list[Period]:
        rows = self.conn.execute("SELECT DISTINCT period_json FROM submissions UNION "
                                 "SELECT DISTINCT period_json FROM reports").fetchall()
        out = {_period_from_json(r[0]).key(): _period_from_json(r[0]) for r in rows}
        return sorted(out.values(), key=lambda p: (p.report_year, p.window[1]), reverse=True)

    # ---------------------------------------------------------------- rejections

    def record_rejection(self, file: str, reason: str, unit: Unit | None = None,
                         period: Period | None = None) -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO rejections (period_key, unit_key, unit_name, file, at, reason) "
                "VALUES (?,?,?,?,?,?)",
                (period.key() if period else None,
                 unit_key(unit.name, unit.code) if unit else None, unit.name if unit else "",
                 file, datetime.now().isoformat(timespec="seconds"), reason))

    def rejections(self, period: Period) -> list[StoredRejection]:
        rows = self.conn.execute(
            "SELECT unit_name, unit_key, file, at, reason FROM rejections WHERE period_key=? "
            "ORDER BY id", (period.key(),)).fetchall()
        return [StoredRejection(n, k, f, datetime.fromisoformat(a), r) for n, k, f, a, r in rows]

    # ---------------------------------------------------------------- reports

    def save_report(self, report: Report) -> None:
        """Keep this report as the current one of its unit and period (older versions stay)."""
        from app.storage import dump_report

        key = unit_key(report.unit.name, report.unit.code)
        with self.conn:
            self.conn.execute("UPDATE reports SET active=0 WHERE period_key=? AND unit_key=? AND active=1",
                              (report.period.key(), key))
            self.conn.execute(
                "INSERT INTO reports (period_key, period_json, unit_key, unit_name, saved_at, "
                "report_json) VALUES (?,?,?,?,?,?)",
                (report.period.key(), _period_json(report.period), key, report.unit.name,
                 datetime.now().isoformat(timespec="seconds"), dump_report(report)))

    def find_report(self, unit: Unit, period: Period) -> Report | None:
        """The current report of a unit for a period; else that unit's submission as a report."""
        from app.storage import ReportFileError, report_from_dict

        key = unit_key(unit.name, unit.code)
        row = self.conn.execute(
            "SELECT report_json FROM reports WHERE period_key=? AND unit_key=? AND active=1",
            (period.key(), key)).fetchone()
        if row:
            try:
                return report_from_dict(json.loads(row[0]), str(self.path))
            except (ReportFileError, ValueError):
                return None
        sub = self.current(period, key)
        return sub.to_submission().to_report() if sub else None

    def find_previous(self, report: Report) -> Report | None:
        return self.find_report(report.unit, report.period.same_period_year_before())


def find_previous(report: Report) -> Report | None:
    """The same period kind of the year before for the same unit, from the default history
    store; None when there is none (or no store yet)."""
    path = history_path()
    if not path.exists():
        return None
    try:
        with History(path) as h:
            return h.find_previous(report)
    except HistoryError:
        return None
