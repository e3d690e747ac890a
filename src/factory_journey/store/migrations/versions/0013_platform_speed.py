"""peer input cache: the matrix rows a peer recompute read, so the next rebuilds only what
was submitted since (#14)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peer_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versions_sha256", sa.String(length=64), nullable=False),
        sa.Column("submission_watermark", sa.Integer(), nullable=False),
        sa.Column("facility_year_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("peer_input", schema=None) as batch_op:
        batch_op.create_index("ix_peer_input_versions_sha256", ["versions_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("peer_input", schema=None) as batch_op:
        batch_op.drop_index("ix_peer_input_versions_sha256")
    op.drop_table("peer_input")
