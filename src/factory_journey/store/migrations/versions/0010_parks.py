"""industrial parks: parks, members by year, shared facilities (#16)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "park",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country_iso2", sa.String(length=2), nullable=False),
        sa.Column("operator_organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"),
                  nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "park_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_id", sa.String(length=64), sa.ForeignKey("park.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.String(length=64), nullable=False),
        sa.Column("os_id", sa.String(length=15), nullable=True),
        sa.UniqueConstraint("park_id", "year", "facility_id"),
    )
    op.create_index("ix_park_member_facility", "park_member", ["facility_id"])
    op.create_table(
        "shared_facility",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_id", sa.String(length=64), sa.ForeignKey("park.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("shared_facility_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("serves", sa.String(length=32), nullable=True),
        sa.UniqueConstraint("park_id", "year", "shared_facility_id"),
    )
    op.create_table(
        "park_assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator_organisation_id", sa.Integer(), sa.ForeignKey("organisation.id"),
                  nullable=False),
        sa.Column("upload_id", sa.Integer(), sa.ForeignKey("upload.id"), nullable=True),
        sa.Column("dataset_sha256", sa.String(length=64), nullable=False),
        sa.Column("framework", sa.String(length=200), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "park_assessment_frame",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("park_assessment.id"),
                  nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("assessment_id", "name"),
    )


def downgrade() -> None:
    op.drop_table("park_assessment_frame")
    op.drop_table("park_assessment")
    op.drop_table("shared_facility")
    op.drop_index("ix_park_member_facility", table_name="park_member")
    op.drop_table("park_member")
    op.drop_table("park")
