"""Team mode: who and which file for every change (audit trail), the shared unit register.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_WHO = ("file_hash", "imported_by", "machine")


def upgrade() -> None:
    for table in ("submissions", "rejections"):
        for name in _WHO:
            op.add_column(table, sa.Column(name, sa.Text, nullable=False, server_default=""))
    op.add_column("reports", sa.Column("saved_by", sa.Text, nullable=False, server_default=""))
    op.add_column("reports", sa.Column("machine", sa.Text, nullable=False, server_default=""))
    op.create_index("submissions_unit", "submissions", ["period_key", "unit_key"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("os_user", sa.Text, nullable=False),
        sa.Column("machine", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("period_key", sa.Text),
        sa.Column("unit_key", sa.Text),
        sa.Column("unit_name", sa.Text, nullable=False, server_default=""),
        sa.Column("file", sa.Text, nullable=False, server_default=""),
        sa.Column("file_hash", sa.Text, nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("audit_unit", "audit", ["period_key", "unit_key"])
    op.create_table(
        "unit_register",
        sa.Column("unit_key", sa.Text, primary_key=True),
        sa.Column("unit_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
    )
    # version 1's own bookkeeping table; the schema version is Alembic's from now on
    bind = op.get_bind()
    if sa.inspect(bind).has_table("meta"):
        op.drop_table("meta")


def downgrade() -> None:
    op.drop_table("unit_register")
    op.drop_table("audit")
    op.drop_index("submissions_unit", "submissions")
    op.drop_column("reports", "machine")
    op.drop_column("reports", "saved_by")
    for table in ("submissions", "rejections"):
        for name in _WHO:
            op.drop_column(table, name)
