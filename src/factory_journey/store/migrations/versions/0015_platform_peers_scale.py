"""platform peers at 100k facilities (#14): peer input batches written at import

Each import keeps the matrix rows of what it saved as one `peer_input` batch (rows carry
their facility's newest submission id); the column says which import job wrote a batch. The
cache rows of before (a whole matrix without per-row watermarks) are deleted: the next
recompute rebuilds what it needs.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM peer_input")
    with op.batch_alter_table("peer_input", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_job_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM peer_input")
    with op.batch_alter_table("peer_input", schema=None) as batch_op:
        batch_op.drop_column("import_job_id")
