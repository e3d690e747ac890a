"""peer snapshots: the platform's peer thresholds over every facility, versioned (#14)

One row per recomputation whose thresholds differ from the previous one: the engine's peer
table as Parquet with its SHA-256, the methodology and reference versions it was computed
under, and how many facilities and groups it covers. Never updated.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peer_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("methodology_version", sa.String(length=64), nullable=False),
        sa.Column("reference_versions", sa.JSON(), nullable=False),
        sa.Column("facility_count", sa.Integer(), nullable=False),
        sa.Column("group_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("submission_watermark", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("peer_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_peer_snapshot_content_sha256", ["content_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("peer_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_peer_snapshot_content_sha256")
    op.drop_table("peer_snapshot")
