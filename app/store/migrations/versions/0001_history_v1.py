"""The history store as version 1 of the program made it (submissions, rejections, reports).

A store that version 1 made by hand-written SQL (a `meta` table, schema 1) is stamped with this
revision when first opened, then upgraded like any other.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("period_key", sa.Text, nullable=False),
        sa.Column("period_json", sa.Text, nullable=False),
        sa.Column("unit_key", sa.Text, nullable=False),
        sa.Column("unit_name", sa.Text, nullable=False),
        sa.Column("unit_code", sa.Text, nullable=False),
        sa.Column("unit_level", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("received", sa.Text, nullable=False),
        sa.Column("imported_at", sa.Text, nullable=False),
        sa.Column("values_json", sa.Text, nullable=False),
        sa.Column("explanations_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("warnings_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
    )
    op.create_index("submissions_active", "submissions", ["period_key", "unit_key"], unique=True,
                    sqlite_where=sa.text("active"), postgresql_where=sa.text("active"))
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("period_key", sa.Text),
        sa.Column("unit_key", sa.Text),
        sa.Column("unit_name", sa.Text, nullable=False, server_default=""),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("rejections_period", "rejections", ["period_key"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("period_key", sa.Text, nullable=False),
        sa.Column("period_json", sa.Text, nullable=False),
        sa.Column("unit_key", sa.Text, nullable=False),
        sa.Column("unit_name", sa.Text, nullable=False),
        sa.Column("saved_at", sa.Text, nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
    )
    op.create_index("reports_active", "reports", ["period_key", "unit_key"], unique=True,
                    sqlite_where=sa.text("active"), postgresql_where=sa.text("active"))


def downgrade() -> None:
    for table in ("reports", "rejections", "submissions"):
        op.drop_table(table)
