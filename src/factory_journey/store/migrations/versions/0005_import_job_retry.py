"""safe version allocation and retry of interrupted import jobs (#13)

Import jobs record their attempt, the job they retry (at most one retry per job), the worker
process running them and its last heartbeat, and a message saying why they failed or stopped.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempt", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("retry_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("worker", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("message", sa.Text(), nullable=True))
        batch_op.create_unique_constraint("uq_import_job_retry_of_id", ["retry_of_id"])
        batch_op.create_foreign_key(
            "fk_import_job_retry_of_id", "import_job", ["retry_of_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_constraint("fk_import_job_retry_of_id", type_="foreignkey")
        batch_op.drop_constraint("uq_import_job_retry_of_id", type_="unique")
        batch_op.drop_column("message")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("worker")
        batch_op.drop_column("retry_of_id")
        batch_op.drop_column("attempt")
