"""escalations to staff: staff_user, staff_session, escalation, escalation_message, audit_log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies: this migration must not change when the code's lists do.
STAFF_ROLES = ("admin", "staff")
ESCALATION_CHANNELS = ("kiosk", "telegram")
PRIORITIES = ("urgent", "normal")
STATUSES = ("new", "claimed", "answered", "closed")
AUTHORS = ("user", "bot", "staff")
OPEN = "status != 'closed'"


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=5), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("username"),
        sa.CheckConstraint(sa.column("role").in_(STAFF_ROLES), name="ck_staff_user_role"),
    )
    op.create_table(
        "staff_session",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_session_user_id", "staff_session", ["user_id"])
    op.create_index("ix_staff_session_expires_at", "staff_session", ["expires_at"])
    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("sender_id", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("gmina_teryt", sa.String(length=7), nullable=True),
        sa.Column("priority", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.Integer(),
                  sa.ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("code"),
        sa.CheckConstraint(sa.column("channel").in_(ESCALATION_CHANNELS),
                           name="ck_escalation_channel"),
        sa.CheckConstraint(sa.column("priority").in_(PRIORITIES), name="ck_escalation_priority"),
        sa.CheckConstraint(sa.column("status").in_(STATUSES), name="ck_escalation_status"),
    )
    op.create_index("ix_escalation_queue", "escalation", ["status", "priority", "created_at"])
    op.create_index("ix_escalation_closed_at", "escalation", ["closed_at"])
    op.create_index(
        "uq_escalation_open_session", "escalation", ["channel", "session_id"], unique=True,
        sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN),
    )
    op.create_table(
        "escalation_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("escalation_id", sa.Integer(),
                  sa.ForeignKey("escalation.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.String(length=5), nullable=False),
        sa.Column("staff_user_id", sa.Integer(),
                  sa.ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(sa.column("author").in_(AUTHORS), name="ck_escalation_message_author"),
    )
    op.create_index("ix_escalation_message_escalation_id", "escalation_message",
                    ["escalation_id"])
    op.create_index("ix_escalation_message_undelivered", "escalation_message",
                    ["author", "delivered_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_escalation_message_undelivered", table_name="escalation_message")
    op.drop_index("ix_escalation_message_escalation_id", table_name="escalation_message")
    op.drop_table("escalation_message")
    op.drop_index("uq_escalation_open_session", table_name="escalation")
    op.drop_index("ix_escalation_closed_at", table_name="escalation")
    op.drop_index("ix_escalation_queue", table_name="escalation")
    op.drop_table("escalation")
    op.drop_index("ix_staff_session_expires_at", table_name="staff_session")
    op.drop_index("ix_staff_session_user_id", table_name="staff_session")
    op.drop_table("staff_session")
    op.drop_table("staff_user")
