"""conversation table

Revision ID: 0001
Revises:
Create Date: 2026-11-22
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
        "conversation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.UniqueConstraint("channel", "session_id", name="uq_conversation_session"),
    )
    op.create_index("ix_conversation_last_active_at", "conversation", ["last_active_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_last_active_at", table_name="conversation")
    op.drop_table("conversation")
