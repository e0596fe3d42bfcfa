"""The purge's record of its runs: when, started how, what it deleted (counts only), or
the kind of error that stopped it (bot.applications.lifecycle).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COUNTS = (
    "applications",
    "conversation_events",
    "redacted_conversations",
    "feedback",
    "inbox_decisions",
    "audit_entries",
)


def upgrade() -> None:
    op.create_table(
        "purge_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_purge_runs_started_at", "purge_runs", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_purge_runs_started_at", table_name="purge_runs")
    op.drop_table("purge_runs")
