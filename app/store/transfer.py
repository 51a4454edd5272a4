"""Moving a history between stores: `store migrate --to URL` (a private SQLite history into the
shared PostgreSQL store) and `store backup --out FILE` (a portable copy, JSON lines, that a new
store loads with `store migrate --store FILE --to URL`).

Copying is idempotent: a row already in the target (same content, apart from its number and
whether it is the current version) is not copied again, so a migration can be re-run after an
interruption or after more imports, and running it twice leaves the same content. The target's
"latest wins" rule holds across stores: a copied submission becomes the unit's current one only
when it was received later than the target's current one (a report: saved later).

A backup file: a first line {"format": "cchc-store-backup", "version": 1, "schema": …, "source":
…, "written": …}, then one line per row, {"table": NAME, "row": {column: value}}, tables in the
order a new store loads them, rows oldest first. Times are ISO text; no row numbers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from app.history import History
from app.store import schema
from app.store.engine import StoreError

BACKUP_FORMAT = "cchc-store-backup"
BACKUP_VERSION = 1
# what a row is, apart from its number and whether it is current: how a copy recognises it
_IDENTITY = {
    "submissions": ("period_key", "unit_key", "file", "received", "imported_at", "values_json",
                    "file_hash", "imported_by", "machine"),
    "rejections": ("period_key", "unit_key", "file", "at", "reason", "imported_by", "machine"),
    "reports": ("period_key", "unit_key", "saved_at", "report_json", "saved_by", "machine"),
    "audit": ("at", "os_user", "machine", "action", "period_key", "unit_key", "file", "file_hash",
              "detail"),
    "unit_register": ("unit_key",),
}
# the column that says which of two versions of a unit's row is the later one
_LATER = {"submissions": "received", "reports": "saved_at"}
TABLE_TITLES = {"submissions": "bản nộp", "rejections": "tệp bị từ chối", "reports": "báo cáo",
                "audit": "sự kiện nhật ký", "unit_register": "đơn vị trong danh sách"}


def _columns(table: Any) -> list[str]:
    return [c.name for c in table.columns if c.name != "id"]


def rows_of_store(h: History) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every row of a store, table by table (load order), oldest first, without row numbers.
    Read from one snapshot."""
    with h._read() as conn:
        for table in schema.BACKUP_TABLES:
            order = table.c.id if "id" in table.c else table.c.unit_key
            for row in conn.execute(table.select().order_by(order)).mappings():
                yield table.name, {k: _plain(row[k]) for k in _columns(table)}


def _plain(value: Any) -> Any:
    return bool(value) if isinstance(value, bool) else value


def rows_of_backup(path: str | os.PathLike[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of a backup file; a file that is not one is refused with the line at fault."""
    p = Path(path)
    known = {t.name: set(_columns(t)) for t in schema.BACKUP_TABLES}
    try:
        with p.open(encoding="utf-8") as f:
            header = _json_line(p, 1, f.readline())
            if header.get("format") != BACKUP_FORMAT:
                raise StoreError(f"{p}: không phải tệp sao lưu kho lịch sử của chương trình.")
            if int(header.get("version", 0)) > BACKUP_VERSION:
                raise StoreError(f"{p}: tệp sao lưu do phiên bản mới hơn của chương trình ghi; "
                                 f"hãy cập nhật chương trình.")
            for n, line in enumerate(f, 2):
                if not line.strip():
                    continue
                item = _json_line(p, n, line)
                table, row = item.get("table"), item.get("row")
                if table not in known or not isinstance(row, dict) or not set(row) <= known[table]:
                    raise StoreError(f"{p}, dòng {n}: dòng không đúng dạng tệp sao lưu.")
                yield table, row
    except OSError as exc:
        raise StoreError(f"{p}: không đọc được tệp sao lưu ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise StoreError(f"{p}: tệp sao lưu không phải văn bản UTF-8.") from None


def _json_line(p: Path, n: int, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except ValueError:
        raise StoreError(f"{p}, dòng {n}: không phải JSON.") from None
    if not isinstance(value, dict):
        raise StoreError(f"{p}, dòng {n}: dòng không đúng dạng tệp sao lưu.")
    return value


def write_backup(h: History, out: str | os.PathLike[str]) -> dict[str, int]:
    """Write every row of the store to a backup file (atomically); the count per table."""
    from app.storage import atomic_write

    counts = {t.name: 0 for t in schema.BACKUP_TABLES}
    lines = [json.dumps({"format": BACKUP_FORMAT, "version": BACKUP_VERSION,
                         "schema": h.schema_version(), "source": h.where,
                         "written": datetime.now().isoformat(timespec="seconds")},
                        ensure_ascii=False)]
    for table, row in rows_of_store(h):
        lines.append(json.dumps({"table": table, "row": row}, ensure_ascii=False))
        counts[table] += 1
    target = Path(out)
    try:
        atomic_write(target, ("\n".join(lines) + "\n").encode("utf-8"), keep_backup=False)
    except OSError as exc:
        raise StoreError(f"{target}: không ghi được tệp sao lưu ({exc.strerror}).") from None
    return counts


def copy_rows(rows: Iterator[tuple[str, dict[str, Any]]], target: History) -> dict[str, int]:
    """Copy rows into a store, in one transaction; the number of rows copied per table (rows
    already there are skipped, so a second run copies nothing)."""
    by_table: dict[str, list[dict[str, Any]]] = {t.name: [] for t in schema.BACKUP_TABLES}
    for table, row in rows:
        by_table[table].append(row)
    keys = [f"{r['period_key']}|{r['unit_key']}" for name in _LATER for r in by_table[name]]
    return target._write(lambda conn: _copy(conn, by_table, target), keys)


def _copy(conn: Any, by_table: dict[str, list[dict[str, Any]]], target: History) -> dict[str, int]:
    from sqlalchemy import select

    copied: dict[str, int] = {}
    for table in schema.BACKUP_TABLES:
        ident = _IDENTITY[table.name]
        have = {tuple(r) for r in conn.execute(select(*(table.c[c] for c in ident)))}
        n = 0
        for row in by_table[table.name]:
            values = {c: row[c] for c in _columns(table) if c in row}
            if tuple(values.get(c) for c in ident) in have:
                continue
            later = _LATER.get(table.name)
            if later and values.get("active"):
                values["active"] = _becomes_current(conn, table, values, later)
            conn.execute(table.insert().values(**values))
            have.add(tuple(values.get(c) for c in ident))
            n += 1
        copied[table.name] = n
    if any(copied.values()):
        summary = ", ".join(f"{n} {TABLE_TITLES[t]}" for t, n in copied.items() if n)
        target._audit(conn, "loaded", period=None, key=None, detail=summary)
    return copied


def _becomes_current(conn: Any, table: Any, row: dict[str, Any], later: str) -> bool:
    """Whether a copied current version replaces the target's current one (it is later)."""
    current = conn.execute(select_current(table, row["period_key"], row["unit_key"])).first()
    if current is None:
        return True
    if (row[later] or "") <= (getattr(current, later) or ""):
        return False
    conn.execute(table.update().where(table.c.id == current.id).values(active=False))
    return True


def select_current(table: Any, period_key: str, key: str) -> Any:
    return table.select().where(table.c.period_key == period_key, table.c.unit_key == key,
                                table.c.active)


def content(h: History) -> list[tuple[str, tuple]]:
    """A store's content, comparable between stores and runs: every row without its number,
    in a fixed order (tests, `store status`)."""
    return sorted((t, tuple(sorted((k, str(v)) for k, v in row.items())))
                  for t, row in rows_of_store(h))
