"""access requests and programme cohorts (#15)

`access_request`: an organisation asks a factory to share a facility (by OS Hub ID or name);
accepting creates a sharing grant. `cohort` and `cohort_facility`: a programme's named sets of
facilities. `programme_records`: programme participation records a programme uploaded.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=300), nullable=False),
        sa.Column("facility_id", sa.String(length=64), nullable=True),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("grant_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["requester_organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["requested_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["grant_id"], ["sharing_grant.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.create_index("ix_access_request_facility", ["facility_id", "status"])
        batch_op.create_index(
            "ix_access_request_requester", ["requester_organisation_id", "status"]
        )
    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "name"),
    )
    op.create_table(
        "cohort_facility",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"]),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"]),
        sa.PrimaryKeyConstraint("cohort_id", "facility_id"),
    )
    op.create_table(
        "programme_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("programme_records", schema=None) as batch_op:
        batch_op.create_index("ix_programme_records_organisation_id", ["organisation_id"])


def downgrade() -> None:
    with op.batch_alter_table("programme_records", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_records_organisation_id")
    op.drop_table("programme_records")
    op.drop_table("cohort_facility")
    op.drop_table("cohort")
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.drop_index("ix_access_request_requester")
        batch_op.drop_index("ix_access_request_facility")
    op.drop_table("access_request")
