"""The history store: every report and every unit submission, per unit and period, with an audit
trail — on SQLite (default: one file in the per-user data folder) or on the department's shared
PostgreSQL server (team mode). Same interface, same behaviour on both (app.store.engine says
which store and how to reach it; app.store.schema declares the tables).

Every change runs in one transaction: an import of many files is stored whole or not at all. A
unit's newer submission replaces the older one only after confirmation: `add_submission` returns
a "would_replace" result (nothing written) until it is called again with `replace=True`. The
replaced version is kept (inactive), never deleted. A file older than the one stored (by the time
it was received) never replaces it ("older"), whichever specialist imports first.

Several specialists may import at once: writers of one unit and period queue up (PostgreSQL
advisory locks taken in key order, so no deadlock; SQLite's write lock), the unique index on the
active submission is the backstop, and a transaction that loses a race is run again. Every change
records who (OS user, machine), when and the file's SHA-256 — `audit()` lists them per unit.

`find_previous(report)` returns the same period kind of the year before for the same unit — the
editor calls it for comparisons (rules P01–P02, "tăng … so với cùng kỳ").
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from app.intake import Submission
from app.model import Period, Report, Unit
from app.settings import history_path as settings_history_path
from app.store.engine import StoreError, StoreOffline, describe, engine_for, explain, file_hash, who
from app.units import unit_key

__all__ = ["History", "HistoryError", "StoreOffline", "AddResult", "StoredSubmission",
           "StoredRejection", "AuditEvent", "find_previous", "history_path"]

HistoryError = StoreError  # the name callers have always caught
T = TypeVar("T")
RETRIES = 12


def history_path() -> Path:
    """The private SQLite store's file in the per-user data folder (its folder created)."""
    p = settings_history_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _period_json(p: Period) -> str:
    # the key stored since version 1: a phase by its first and last year, any other period by its year
    if p.is_phase:
        return json.dumps({"kind": p.kind, "year": None, "from_year": p.from_year, "to_year": p.to_year})
    return json.dumps({"kind": p.kind, "year": p.year, "from_year": None, "to_year": None})


def _period_from_json(text: str) -> Period:
    d = json.loads(text)
    return Period(d["kind"], d.get("year"), d.get("from_year"), d.get("to_year"))


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


@dataclass(kw_only=True)
class StoredSubmission(Submission):
    """A unit's submission as the history store keeps it: the submission itself (the one shape
    the import, the store and consolidation share) with where and by whom it was stored."""

    id: int
    imported_at: datetime
    file_hash: str = ""
    imported_by: str = ""
    machine: str = ""

    @property
    def by_whom(self) -> str:
        """Who stored it, for the windows: "do nva (máy SNV-PC03) nhận 19/12/2025 10:15"."""
        if not self.imported_by:
            return f"nhận {self.imported_at:%d/%m/%Y %H:%M}"
        return f"do {self.imported_by} (máy {self.machine}) nhận {self.imported_at:%d/%m/%Y %H:%M}"


@dataclass
class AddResult:
    """status: "added" | "replaced" | "unchanged" (same figures already stored, nothing written)
    | "would_replace" (an older submission exists; nothing written until confirmed)
    | "older" (the stored submission was received later than this file; nothing written)."""

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


@dataclass
class AuditEvent:
    """One change to the store: who, on which machine, when, what, which file (SHA-256)."""

    at: datetime
    os_user: str
    machine: str
    action: str
    period_key: str | None
    unit_key: str | None
    unit_name: str
    file: str
    file_hash: str
    detail: str

    ACTIONS = {
        "added": "Nhận số liệu", "replaced": "Thay bản đã nhận", "unchanged": "Nhận lại bản trùng",
        "kept": "Giữ bản đã nhận (không thay)", "older": "Không thay (bản đã nhận mới hơn)",
        "rejected": "Từ chối tệp", "report_saved": "Lưu báo cáo", "loaded": "Chép từ kho khác",
        "register_saved": "Lưu danh sách đơn vị",
    }

    @property
    def action_label(self) -> str:
        return self.ACTIONS.get(self.action, self.action)

    def line(self) -> str:
        """One Vietnamese line for the consolidation windows."""
        when = self.at.strftime("%d/%m/%Y %H:%M")
        digest = f", mã tệp {self.file_hash[:12]}" if self.file_hash else ""
        file = f" — {self.file}{digest}" if self.file else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{when} {self.action_label}{file}{detail}; {self.os_user} trên máy {self.machine}"


def _hash_of(sub: Submission) -> str:
    given = getattr(sub, "file_hash", "")
    return given or (file_hash(sub.path) if sub.path else "")


class History:
    """A store (SQLite file or PostgreSQL server); use as a context manager or call close().
    One instance per thread. `History()` opens the store in the settings."""

    def __init__(self, address: str | os.PathLike[str] | None = None):
        self.engine = engine_for(address)
        self.url = self.engine.url
        self.where = describe(self.url)
        self.engine_name = self.url.get_backend_name()  # "sqlite" | "postgresql"
        self.path = Path(self.url.database or "") if self.engine_name == "sqlite" else None
        from app.store import schema

        self.t = schema
        self.user, self.machine = who()

    def close(self) -> None:
        """Nothing stays open between calls (each runs its own connection from the pool)."""

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _read(self) -> Iterator[Any]:
        """One consistent snapshot for every query inside (REPEATABLE READ; SQLite's read lock)."""
        from sqlalchemy.exc import DBAPIError

        try:
            with self.engine.connect() as conn:
                if self.engine_name == "postgresql":
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                else:
                    conn = conn.execution_options(cchc_read=True)
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise explain(self.engine, exc) from None

    def _write(self, work: Callable[[Any], T], lock_keys: Iterable[str] = ()) -> T:
        """Run `work(conn)` in one transaction, all or nothing. The transaction first takes the
        writers' locks of the given unit keys (in order: no deadlock between importers); one that
        loses a race anyway (unique index, serialisation) is rolled back and run again."""
        from sqlalchemy import func, select
        from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

        keys = sorted(set(lock_keys))
        for attempt in range(RETRIES):
            try:
                with self.engine.begin() as conn:
                    if self.engine_name == "postgresql":
                        for k in keys:
                            conn.execute(select(func.pg_advisory_xact_lock(
                                func.hashtextextended(k, 0))))
                    return work(conn)
            except (IntegrityError, OperationalError) as exc:
                retry = isinstance(exc, IntegrityError) or _transient(exc)
                if not retry or attempt == RETRIES - 1:
                    raise explain(self.engine, exc) from None
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
            except DBAPIError as exc:
                raise explain(self.engine, exc) from None
        raise AssertionError("unreachable")

    def _audit(self, conn: Any, action: str, *, period: Period | None, key: str | None,
               name: str = "", file: str = "", digest: str = "", detail: str = "") -> None:
        conn.execute(self.t.audit.insert().values(
            at=_now(), os_user=self.user, machine=self.machine, action=action,
            period_key=period.key() if period else None, unit_key=key, unit_name=name,
            file=file, file_hash=digest, detail=detail))

    # ---------------------------------------------------------------- submissions

    def _stored(self, row: Any) -> StoredSubmission:
        return StoredSubmission(
            id=row.id, unit=Unit(row.unit_name, row.unit_code, row.unit_level),
            period=_period_from_json(row.period_json), kind=row.kind, file=row.file,
            received=datetime.fromisoformat(row.received),
            imported_at=datetime.fromisoformat(row.imported_at),
            values=json.loads(row.values_json), explanations=json.loads(row.explanations_json),
            warnings=json.loads(row.warnings_json), file_hash=row.file_hash,
            imported_by=row.imported_by, machine=row.machine)

    def _current(self, conn: Any, period_key: str, key: str) -> StoredSubmission | None:
        s = self.t.submissions
        row = conn.execute(s.select().where(s.c.period_key == period_key, s.c.unit_key == key,
                                            s.c.active)).first()
        return self._stored(row) if row else None

    def current(self, period: Period, key: str) -> StoredSubmission | None:
        with self._read() as conn:
            return self._current(conn, period.key(), key)

    @staticmethod
    def _decide(sub: Submission, old: StoredSubmission | None) -> AddResult:
        if old is None:
            return AddResult("added", sub)
        if old.values == sub.values and old.unit.level == sub.unit.level:
            return AddResult("unchanged", sub, old)
        if sub.received < old.received:
            return AddResult("older", sub, old)
        return AddResult("would_replace", sub, old)

    def check(self, sub: Submission) -> AddResult:
        """What adding would do, without writing anything."""
        return self._decide(sub, self.current(sub.period, sub.key))

    def check_many(self, subs: Iterable[Submission]) -> list[AddResult]:
        """What adding each would do (nothing written), from one read of the store."""
        subs = list(subs)
        s = self.t.submissions
        current: dict[tuple[str, str], StoredSubmission] = {}
        keys = sorted({sub.key for sub in subs})
        with self._read() as conn:
            for period_key in sorted({sub.period.key() for sub in subs}):
                for start in range(0, len(keys), 500):  # bounded IN lists
                    rows = conn.execute(s.select().where(
                        s.c.period_key == period_key, s.c.unit_key.in_(keys[start:start + 500]),
                        s.c.active)).all()
                    current.update({(period_key, r.unit_key): self._stored(r) for r in rows})
        return [self._decide(sub, current.get((sub.period.key(), sub.key))) for sub in subs]

    def _insert(self, conn: Any, sub: Submission, digest: str) -> None:
        conn.execute(self.t.submissions.insert().values(
            period_key=sub.period.key(), period_json=_period_json(sub.period), unit_key=sub.key,
            unit_name=sub.unit.name, unit_code=sub.unit.code, unit_level=sub.unit.level,
            kind=sub.kind, file=sub.file, received=sub.received.isoformat(timespec="seconds"),
            imported_at=_now(), values_json=json.dumps(sub.values, ensure_ascii=False),
            explanations_json=json.dumps(sub.explanations, ensure_ascii=False),
            warnings_json=json.dumps(sub.warnings, ensure_ascii=False), active=True,
            file_hash=digest, imported_by=self.user, machine=self.machine))

    def _apply(self, conn: Any, sub: Submission, replace: bool, digest: str) -> AddResult:
        from sqlalchemy.exc import IntegrityError

        result = self._decide(sub, self._current(conn, sub.period.key(), sub.key))
        action = result.status
        if result.status == "would_replace" and replace:
            assert result.previous is not None
            s = self.t.submissions
            gone = conn.execute(s.update().where(s.c.id == result.previous.id, s.c.active)
                                .values(active=False))
            if gone.rowcount != 1:  # another writer replaced it meanwhile: run the batch again
                raise IntegrityError("replace", None, Exception("replaced concurrently"))
            self._insert(conn, sub, digest)
            result = AddResult("replaced", sub, result.previous)
            action = "replaced"
        elif result.status == "added":
            self._insert(conn, sub, digest)
        elif result.status == "would_replace":
            action = "kept"
        detail = ""
        if result.previous is not None and action != "unchanged":
            detail = (f"bản đã nhận: {result.previous.file}, "
                      f"{result.previous.received:%d/%m/%Y %H:%M}")
        self._audit(conn, action, period=sub.period, key=sub.key, name=sub.unit.name,
                    file=sub.file, digest=digest, detail=detail)
        return result

    def add_submission(self, sub: Submission, replace: bool = False) -> AddResult:
        """Store a submission. An existing one of the same unit and period is replaced only with
        replace=True; otherwise the result is "would_replace" and nothing is written."""
        return self.add_submissions([sub], {sub.key} if replace else set())[0]

    def add_submissions(self, subs: Iterable[Submission], replace: set[str] | None = None,
                        refused: Iterable[Any] = (), period: Period | None = None
                        ) -> list[AddResult]:
        """Store many submissions in one transaction (all or nothing). `replace` holds the unit
        keys whose older submission the user agreed to replace. `refused`: the batch's refused
        files (app.consolidation.Rejection: file, reason, unit, period), recorded in the same
        transaction (for the board), of `period` when they do not say."""
        subs = list(subs)
        replace = replace or set()
        digests = [_hash_of(s) for s in subs]  # files read before the transaction, not in it
        refusals = [(Path(r.file).name, r.reason, r.unit, r.period or period,
                     file_hash(getattr(r, "path", "") or r.file)) for r in refused]

        def work(conn: Any) -> list[AddResult]:
            for name, reason, unit, when, digest in refusals:
                self._reject(conn, name, reason, unit, when, digest)
            return [self._apply(conn, s, s.key in replace, d)
                    for s, d in zip(subs, digests, strict=True)]

        return self._write(work, (f"{s.period.key()}|{s.key}" for s in subs))

    def _submissions(self, conn: Any, period: Period) -> list[StoredSubmission]:
        s = self.t.submissions
        rows = conn.execute(s.select().where(s.c.period_key == period.key(), s.c.active)
                            .order_by(s.c.unit_name, s.c.id)).all()
        return [self._stored(r) for r in rows]

    def submissions(self, period: Period) -> list[StoredSubmission]:
        with self._read() as conn:
            return self._submissions(conn, period)

    def snapshot(self, period: Period) -> tuple[list[StoredSubmission], list[StoredRejection]]:
        """A period's current submissions and its rejections, read from one consistent
        snapshot (what another specialist commits meanwhile is not half-seen)."""
        with self._read() as conn:
            return self._submissions(conn, period), self._rejections(conn, period)

    def versions(self, period: Period, key: str) -> list[StoredSubmission]:
        """Every submission a unit made for a period, newest first (replaced ones included)."""
        s = self.t.submissions
        with self._read() as conn:
            rows = conn.execute(s.select().where(s.c.period_key == period.key(),
                                                 s.c.unit_key == key).order_by(s.c.id.desc())).all()
        return [self._stored(r) for r in rows]

    def periods(self) -> list[Period]:
        from sqlalchemy import select, union

        s, r = self.t.submissions, self.t.reports
        with self._read() as conn:
            rows = conn.execute(union(select(s.c.period_json).distinct(),
                                      select(r.c.period_json).distinct())).all()
        out = {_period_from_json(x[0]).key(): _period_from_json(x[0]) for x in rows}
        return sorted(out.values(), key=lambda p: (p.report_year, p.window[1]), reverse=True)

    # ---------------------------------------------------------------- rejections

    def record_rejection(self, file: str, reason: str, unit: Unit | None = None,
                         period: Period | None = None, path: str | None = None) -> None:
        digest = file_hash(path) if path else ""
        self._write(lambda conn: self._reject(conn, file, reason, unit, period, digest))

    def _reject(self, conn: Any, file: str, reason: str, unit: Unit | None,
                period: Period | None, digest: str) -> None:
        key = unit_key(unit.name, unit.code) if unit else None
        conn.execute(self.t.rejections.insert().values(
            period_key=period.key() if period else None, unit_key=key,
            unit_name=unit.name if unit else "", file=file, at=_now(), reason=reason,
            file_hash=digest, imported_by=self.user, machine=self.machine))
        self._audit(conn, "rejected", period=period, key=key, name=unit.name if unit else "",
                    file=file, digest=digest, detail=reason)

    def _rejections(self, conn: Any, period: Period) -> list[StoredRejection]:
        r = self.t.rejections
        rows = conn.execute(r.select().where(r.c.period_key == period.key()).order_by(r.c.id)).all()
        return [StoredRejection(x.unit_name, x.unit_key, x.file, datetime.fromisoformat(x.at),
                                x.reason) for x in rows]

    def rejections(self, period: Period) -> list[StoredRejection]:
        with self._read() as conn:
            return self._rejections(conn, period)

    # ---------------------------------------------------------------- audit trail

    def audit(self, period: Period | None = None, key: str | None = None) -> list[AuditEvent]:
        """The audit trail, oldest first: of a unit in a period, of a period, or everything."""
        a = self.t.audit
        q = a.select().order_by(a.c.id)
        if period is not None:
            q = q.where(a.c.period_key == period.key())
        if key is not None:
            q = q.where(a.c.unit_key == key)
        with self._read() as conn:
            rows = conn.execute(q).all()
        return [AuditEvent(datetime.fromisoformat(x.at), x.os_user, x.machine, x.action,
                           x.period_key, x.unit_key, x.unit_name, x.file, x.file_hash, x.detail)
                for x in rows]

    def last_change(self) -> int:
        """A number that grows with every change (the newest audit event): a window polls it to
        refresh when another specialist imports."""
        from sqlalchemy import func, select

        with self._read() as conn:
            return conn.execute(select(func.coalesce(func.max(self.t.audit.c.id), 0))).scalar_one()

    # ---------------------------------------------------------------- reports

    def save_report(self, report: Report) -> None:
        """Keep this report as the current one of its unit and period (older versions stay)."""
        from app.storage import dump_report

        key = unit_key(report.unit.name, report.unit.code)
        pk = report.period.key()
        body = dump_report(report)

        def work(conn: Any) -> None:
            r = self.t.reports
            conn.execute(r.update().where(r.c.period_key == pk, r.c.unit_key == key, r.c.active)
                         .values(active=False))
            conn.execute(r.insert().values(
                period_key=pk, period_json=_period_json(report.period), unit_key=key,
                unit_name=report.unit.name, saved_at=_now(), report_json=body, active=True,
                saved_by=self.user, machine=self.machine))
            self._audit(conn, "report_saved", period=report.period, key=key,
                        name=report.unit.name)

        self._write(work, [f"{pk}|{key}"])

    def find_report(self, unit: Unit, period: Period) -> Report | None:
        """The current report of a unit for a period; else that unit's submission as a report."""
        from app.storage import ReportFileError, report_from_dict

        key = unit_key(unit.name, unit.code)
        r = self.t.reports
        with self._read() as conn:
            row = conn.execute(r.select().where(r.c.period_key == period.key(),
                                                r.c.unit_key == key, r.c.active)).first()
            sub = None if row else self._current(conn, period.key(), key)
        if row:
            try:
                return report_from_dict(json.loads(row.report_json), self.where)
            except (ReportFileError, ValueError):
                return None
        return sub.to_report() if sub else None

    def find_previous(self, report: Report) -> Report | None:
        return self.find_report(report.unit, report.period.same_period_year_before())

    # ---------------------------------------------------------------- unit register

    def register(self) -> list[dict[str, Any]]:
        """The team's unit register (app.units.RegisteredUnit.to_dict() each), in saved order."""
        r = self.t.register
        with self._read() as conn:
            rows = conn.execute(r.select()).all()
        items = [json.loads(x.unit_json) for x in rows]
        return sorted(items, key=lambda d: d.pop("_order", 0))

    def save_register(self, units: list[dict[str, Any]]) -> None:
        """Replace the team's register as a whole (one transaction, one audit event)."""
        from app.units import unit_key as key_of

        def work(conn: Any) -> None:
            r = self.t.register
            conn.execute(r.delete())
            now = _now()
            for i, u in enumerate(units):
                conn.execute(r.insert().values(
                    unit_key=f"{i:06d}|{key_of(u.get('name', ''), u.get('code', ''))}",
                    unit_json=json.dumps({**u, "_order": i}, ensure_ascii=False),
                    updated_at=now, updated_by=f"{self.user} ({self.machine})"))
            self._audit(conn, "register_saved", period=None, key=None,
                        detail=f"{len(units)} đơn vị")

        self._write(work, ["unit_register"])

    # ---------------------------------------------------------------- status

    def counts(self) -> dict[str, int]:
        """How many rows of each kind (active submissions and reports apart)."""
        from sqlalchemy import func, select

        t = self.t
        with self._read() as conn:
            def n(table: Any, *where: Any) -> int:
                return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

            return {
                "submissions": n(t.submissions, t.submissions.c.active),
                "submission_versions": n(t.submissions),
                "rejections": n(t.rejections),
                "reports": n(t.reports, t.reports.c.active),
                "audit": n(t.audit),
                "units": n(t.register),
            }

    def schema_version(self) -> str | None:
        from app.store.engine import schema_version

        with self._read() as conn:
            return schema_version(conn)


def _transient(exc: BaseException) -> bool:
    """A lost race worth running again: deadlock, serialisation failure, SQLite busy."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None)
    if code in ("40001", "40P01", "55P03"):
        return True
    text = str(orig or exc).lower()
    return "database is locked" in text or "busy" in text


OFFLINE_PAUSE_S = 60.0
_offline: tuple[float, str] | None = None  # when the default store was last found unreachable


def offline_message() -> str | None:
    """The one line saying the shared store was out of reach at the last look (within
    OFFLINE_PAUSE_S), else None."""
    if _offline and time.monotonic() - _offline[0] < OFFLINE_PAUSE_S:
        return _offline[1]
    return None


def find_previous(report: Report) -> Report | None:
    """The same period kind of the year before for the same unit, from the default store; None
    when there is none (no store yet, or the shared store cannot be reached — then the editor
    does not wait for it again for a minute: opening reports stays quick)."""
    global _offline
    from app.settings import load_settings

    if not os.environ.get("CCHC_STORE") and not load_settings().store_url.strip() \
            and not settings_history_path().exists():
        return None
    if offline_message():
        return None
    try:
        with History() as h:
            found = h.find_previous(report)
    except StoreOffline as exc:
        _offline = (time.monotonic(), str(exc))
        return None
    except StoreError:
        return None
    _offline = None
    return found
