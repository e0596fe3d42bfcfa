"""Answer feedback: "was this answer helpful?" per bot message, with an optional comment
(redacted before it is written; no personal data).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=32), nullable=False),
        sa.Column("response", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", name="uq_answer_feedback_message_id"),
    )
    op.create_index("ix_answer_feedback_created_at", "answer_feedback", ["created_at"])
    op.create_index("ix_answer_feedback_response", "answer_feedback", ["response"])


def downgrade() -> None:
    op.drop_index("ix_answer_feedback_response", table_name="answer_feedback")
    op.drop_index("ix_answer_feedback_created_at", table_name="answer_feedback")
    op.drop_table("answer_feedback")
