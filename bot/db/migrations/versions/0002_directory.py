"""directory: TERYT register (voivodeship, powiat, gmina, locality), offices, seed sources

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen copies: this migration must not change when the code's lists do.
KINDS = (
    "ops", "pcpr", "pup", "zon", "shelter", "night_shelter", "warming_centre", "food",
    "addiction", "ngo", "prison",
)
ORIGINS = ("seed", "staff")
CONFIDENCE = ("high", "medium", "low")


def upgrade() -> None:
    op.create_table(
        "voivodeship",
        sa.Column("code", sa.String(length=2), primary_key=True),
        sa.Column("name", sa.String(length=60), nullable=False),
    )
    op.create_table(
        "powiat",
        sa.Column("code", sa.String(length=4), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("voivodeship_code", sa.String(length=2), sa.ForeignKey("voivodeship.code"),
                  nullable=False),
        sa.Column("is_city", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_powiat_voivodeship_code", "powiat", ["voivodeship_code"])
    op.create_table(
        "gmina",
        sa.Column("code", sa.String(length=7), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("powiat_code", sa.String(length=4), sa.ForeignKey("powiat.code"),
                  nullable=False),
        sa.Column("voivodeship_code", sa.String(length=2), sa.ForeignKey("voivodeship.code"),
                  nullable=False),
    )
    op.create_index("ix_gmina_powiat_code", "gmina", ["powiat_code"])
    op.create_table(
        "locality",
        sa.Column("sym", sa.String(length=7), primary_key=True),
        sa.Column("parent_sym", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("rm", sa.String(length=2), nullable=False),
        sa.Column("gmina_code", sa.String(length=7), sa.ForeignKey("gmina.code"),
                  nullable=False),
    )
    op.create_index("ix_locality_name", "locality", ["name"])
    op.create_index("ix_locality_gmina_code", "locality", ["gmina_code"])
    op.create_table(
        "directory_source",
        sa.Column("name", sa.String(length=20), primary_key=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "office",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("origin", sa.String(length=5), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subtype", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("street_address", sa.String(length=300), nullable=True),
        sa.Column("postal_code", sa.String(length=6), nullable=True),
        sa.Column("locality", sa.String(length=100), nullable=True),
        sa.Column("serves_gmina", sa.String(length=7), sa.ForeignKey("gmina.code"),
                  nullable=True),
        sa.Column("serves_powiat", sa.String(length=4), sa.ForeignKey("powiat.code"),
                  nullable=True),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("hours", sa.JSON(), nullable=True),
        sa.Column("hours_text", sa.Text(), nullable=True),
        sa.Column("for_whom", sa.String(length=10), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("source_url", sa.String(length=1000), nullable=True),
        sa.Column("source_date", sa.String(length=10), nullable=True),
        sa.Column("confidence", sa.String(length=6), nullable=False),
        sa.Column("verified_at", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(sa.column("kind").in_(KINDS), name="ck_office_kind"),
        sa.CheckConstraint(sa.column("origin").in_(ORIGINS), name="ck_office_origin"),
        sa.CheckConstraint(sa.column("confidence").in_(CONFIDENCE), name="ck_office_confidence"),
    )
    op.create_index("ix_office_gmina_kind", "office", ["serves_gmina", "kind"])
    op.create_index("ix_office_powiat_kind", "office", ["serves_powiat", "kind"])
    op.create_index("ix_office_latitude", "office", ["latitude"])


def downgrade() -> None:
    op.drop_index("ix_office_latitude", table_name="office")
    op.drop_index("ix_office_powiat_kind", table_name="office")
    op.drop_index("ix_office_gmina_kind", table_name="office")
    op.drop_table("office")
    op.drop_table("directory_source")
    op.drop_index("ix_locality_gmina_code", table_name="locality")
    op.drop_index("ix_locality_name", table_name="locality")
    op.drop_table("locality")
    op.drop_index("ix_gmina_powiat_code", table_name="gmina")
    op.drop_table("gmina")
    op.drop_index("ix_powiat_voivodeship_code", table_name="powiat")
    op.drop_table("powiat")
    op.drop_table("voivodeship")
