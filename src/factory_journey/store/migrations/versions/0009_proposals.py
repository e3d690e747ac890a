"""Join the Journey: pathway proposals and committee reviews (#18)

Committee seats; proposals with their versions (a draft is edited, a submitted version is
frozen), attachments, reviews (one per seat and version, never updated) and history; and the
methodology versions the platform builds from accepted proposals (complete documents, never
updated).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _when(name: str = "created_at", nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "committee_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _when(),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id"),
        sa.UniqueConstraint("seat"),
    )
    op.create_table(
        "methodology_build",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=False),
        sa.Column("base_label", sa.String(length=128), nullable=False),
        sa.Column("methodology", sa.JSON(), nullable=False),
        sa.Column("catalogue", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("proposal_versions", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _when(),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        _when(),
        _when("updated_at"),
        sa.Column("methodology_build_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["methodology_build_id"], ["methodology_build.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_organisation_id", ["organisation_id"], unique=False)
    op.create_table(
        "proposal_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        _when(),
        _when("submitted_at", nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "number"),
    )
    op.create_table(
        "proposal_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        _when(),
        sa.ForeignKeyConstraint(["uploaded_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["proposal_version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposal_attachment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_proposal_attachment_version_id", ["version_id"], unique=False
        )
    op.create_table(
        "proposal_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("conflict_of_interest", sa.Boolean(), nullable=False),
        sa.Column("conflict_statement", sa.Text(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("recommendation", sa.String(length=16), nullable=True),
        sa.Column("rubric_version", sa.String(length=32), nullable=False),
        _when(),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["proposal_version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "seat"),
    )
    with op.batch_alter_table("proposal_review", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_review_version_id", ["version_id"], unique=False)
    op.create_table(
        "proposal_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _when("at"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposal_event", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_event_proposal_id", ["proposal_id"], unique=False)


def downgrade() -> None:
    for table, index in (
        ("proposal_event", "ix_proposal_event_proposal_id"),
        ("proposal_review", "ix_proposal_review_version_id"),
        ("proposal_attachment", "ix_proposal_attachment_version_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
        op.drop_table(table)
    op.drop_table("proposal_version")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_organisation_id")
    op.drop_table("proposal")
    op.drop_table("methodology_build")
    op.drop_table("committee_seat")
