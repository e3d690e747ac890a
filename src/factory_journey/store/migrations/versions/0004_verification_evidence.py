"""verification needs evidence or an on-site note; evidence content type by content (#13)

A verification record names the submission version it checked and may rest on an on-site
observation note instead of an evidence document. Evidence types are checked by content in
the service; that needs no column.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("verification_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("observation", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            "fk_verification_record_submission_id_submission",
            "submission",
            ["submission_id"],
            ["id"],
        )
        # Every read of a facility's matrix asks for its latest record (the cache key).
        batch_op.create_index("ix_verification_record_facility", ["facility_id", "id"])


def downgrade() -> None:
    with op.batch_alter_table("verification_record", schema=None) as batch_op:
        batch_op.drop_index("ix_verification_record_facility")
        batch_op.drop_constraint(
            "fk_verification_record_submission_id_submission", type_="foreignkey"
        )
        batch_op.drop_column("observation")
        batch_op.drop_column("submission_id")
