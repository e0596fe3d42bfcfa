"""Pre-applications and notification requests.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pre_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("promotion", sa.Integer(), nullable=False),
        sa.Column("target_profile", sa.String(32), nullable=False),
        sa.Column("years_of_experience", sa.Integer(), nullable=False),
        sa.Column("entrepreneurial_experience", sa.Boolean(), nullable=False),
        sa.Column("entrepreneurial_description", sa.Text(), nullable=True),
        sa.Column("led_teams", sa.Boolean(), nullable=True),
        sa.Column("project_interest", sa.Text(), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("reference", name="uq_pre_applications_reference"),
        sa.UniqueConstraint("conversation_key", name="uq_pre_applications_conversation_key"),
        sa.CheckConstraint("consent", name="ck_pre_applications_consent"),
        sa.CheckConstraint(
            "years_of_experience BETWEEN 0 AND 60", name="ck_pre_applications_years"
        ),
    )
    op.create_index("ix_pre_applications_created_at", "pre_applications", ["created_at"])
    op.create_index("ix_pre_applications_email", "pre_applications", ["email"])
    op.create_table(
        "notification_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("email", name="uq_notification_requests_email"),
        sa.CheckConstraint("consent", name="ck_notification_requests_consent"),
    )
    op.create_index("ix_notification_requests_created_at", "notification_requests", ["created_at"])


def downgrade() -> None:
    op.drop_table("notification_requests")
    op.drop_table("pre_applications")
