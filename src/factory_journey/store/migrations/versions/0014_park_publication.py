"""park publication (#17): a published value's indicator name holds a shared facility's id

A park's shared facility figure is published as `<shared_facility_id>.<column>`
(engine/park_open_data.py): up to 64 + 1 + 36 characters, so `public_value.indicator` grows
from 64 to 140. Nothing else changes: a park's consent, snapshot and values use the
`publication_consent`, `public_profile` and `public_value` tables of 0008 with
`subject_kind = 'park'`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("public_value") as batch:
        batch.alter_column("indicator", existing_type=sa.String(64), type_=sa.String(140),
                           existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("public_value") as batch:
        batch.alter_column("indicator", existing_type=sa.String(140), type_=sa.String(64),
                           existing_nullable=False)
