"""Double opt-in and the opening mailing: when the confirmation e-mail went out, when the
address was confirmed, and which mailing run holds a notification request.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pre_applications") as table:
        table.add_column(sa.Column("confirmation_sent_at", sa.DateTime(), nullable=True))
        table.add_column(sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("notification_requests") as table:
        table.add_column(sa.Column("confirmation_sent_at", sa.DateTime(), nullable=True))
        table.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        table.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification_requests") as table:
        table.drop_column("claimed_at")
        table.drop_column("confirmed_at")
        table.drop_column("confirmation_sent_at")
    with op.batch_alter_table("pre_applications") as table:
        table.drop_column("email_confirmed_at")
        table.drop_column("confirmation_sent_at")
