"""open-data search in SQL (#17): a published profile keeps its name and id folded

`public_profile.name_folded` and `subject_id_folded` hold `fold(name)` and `fold(subject_id)`
(domain.name_folding: case folded, Latin accents dropped), so the public search matches them
with a bound `LIKE` and pages in SQL instead of folding every published name per query
(decision 0053). The rows there are folded here, in batches, with the same `fold` the model
uses when it writes one.

The columns are added NOT NULL with a server default of "" in one ALTER TABLE: making a
nullable column NOT NULL afterwards would make SQLite copy `public_profile`, and dropping the
old copy fails while `public_value` rows refer to it (foreign keys are on, and cannot be
turned off inside the migration's transaction). Text: a folded form can be longer than the
name it folds ("…" gives "..."). No index (see `store.models.PublicProfile`).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from factory_journey.domain.name_folding import fold

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: Profiles folded per statement [rows]: bounded memory however many are published.
BATCH = 5_000

_profile = sa.table(
    "public_profile",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("subject_id", sa.String()),
    sa.column("name_folded", sa.Text()),
    sa.column("subject_id_folded", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("public_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_folded", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("subject_id_folded", sa.Text(), nullable=False, server_default="")
        )
    connection = op.get_bind()
    write = (
        _profile.update()
        .where(_profile.c.id == sa.bindparam("row_id"))
        .values(
            name_folded=sa.bindparam("folded_name"),
            subject_id_folded=sa.bindparam("folded_id"),
        )
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(_profile.c.id, _profile.c.name, _profile.c.subject_id)
            .where(_profile.c.id > after)
            .order_by(_profile.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            write,
            [
                {"row_id": row.id, "folded_name": fold(row.name or ""),
                 "folded_id": fold(row.subject_id or "")}
                for row in rows
            ],
        )
        after = rows[-1].id


def downgrade() -> None:
    # Not in a batch: SQLite (3.35+) drops a column in place, where a batch would copy the
    # table and fail on the foreign keys of `public_value` (see above).
    op.drop_column("public_profile", "subject_id_folded")
    op.drop_column("public_profile", "name_folded")
