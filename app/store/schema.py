"""The history store's tables, declared once for every engine (SQLAlchemy Core).

Times are ISO 8601 text (seconds), so a backup line reads the same from either engine. A unit has
at most one active submission and one active report per period: a partial unique index, which
both SQLite and PostgreSQL enforce, is what keeps two specialists importing at once from storing
two. Replaced versions stay (inactive); nothing is deleted.

The migrations in app/store/migrations build exactly these tables; a test compares the two.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, Table, Text, text

metadata = MetaData()

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("period_key", Text, nullable=False),
    Column("period_json", Text, nullable=False),
    Column("unit_key", Text, nullable=False),
    Column("unit_name", Text, nullable=False),
    Column("unit_code", Text, nullable=False),
    Column("unit_level", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("received", Text, nullable=False),
    Column("imported_at", Text, nullable=False),
    Column("values_json", Text, nullable=False),
    Column("explanations_json", Text, nullable=False, server_default="{}"),
    Column("warnings_json", Text, nullable=False, server_default="[]"),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("file_hash", Text, nullable=False, server_default=""),
    Column("imported_by", Text, nullable=False, server_default=""),
    Column("machine", Text, nullable=False, server_default=""),
)
Index("submissions_active", submissions.c.period_key, submissions.c.unit_key, unique=True,
      sqlite_where=submissions.c.active, postgresql_where=submissions.c.active)
Index("submissions_unit", submissions.c.period_key, submissions.c.unit_key)

rejections = Table(
    "rejections", metadata,
    Column("id", Integer, primary_key=True),
    Column("period_key", Text),
    Column("unit_key", Text),
    Column("unit_name", Text, nullable=False, server_default=""),
    Column("file", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("file_hash", Text, nullable=False, server_default=""),
    Column("imported_by", Text, nullable=False, server_default=""),
    Column("machine", Text, nullable=False, server_default=""),
)
Index("rejections_period", rejections.c.period_key)

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("period_key", Text, nullable=False),
    Column("period_json", Text, nullable=False),
    Column("unit_key", Text, nullable=False),
    Column("unit_name", Text, nullable=False),
    Column("saved_at", Text, nullable=False),
    Column("report_json", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("saved_by", Text, nullable=False, server_default=""),
    Column("machine", Text, nullable=False, server_default=""),
)
Index("reports_active", reports.c.period_key, reports.c.unit_key, unique=True,
      sqlite_where=reports.c.active, postgresql_where=reports.c.active)

# Every change, in order: who (OS user, machine), when, what, which file (SHA-256 of its bytes).
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("os_user", Text, nullable=False),
    Column("machine", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("period_key", Text),
    Column("unit_key", Text),
    Column("unit_name", Text, nullable=False, server_default=""),
    Column("file", Text, nullable=False, server_default=""),
    Column("file_hash", Text, nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
)
Index("audit_unit", audit.c.period_key, audit.c.unit_key)

# The unit register shared by the team (one row per unit, as app.units.RegisteredUnit.to_dict).
register = Table(
    "unit_register", metadata,
    Column("unit_key", Text, primary_key=True),
    Column("unit_json", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("updated_by", Text, nullable=False, server_default=""),
)

# the tables a backup holds, in the order a new store loads them
BACKUP_TABLES = (submissions, rejections, reports, audit, register)
