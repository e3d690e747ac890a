"""open data: consent, publications and releases (#17)

`publication_consent` keeps every consent given and withdrawn (never deleted); the published
snapshot (`public_profile`, `public_value`) is what public pages, the API and downloads read;
`open_data_release` and `open_data_file` are the bulk releases, one per refresh.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("years", sa.JSON(), nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("licence_id", sa.String(length=32), nullable=False),
        sa.Column("licences_version", sa.String(length=16), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["granted_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["withdrawn_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_publication_consent_subject",
        "publication_consent",
        ["subject_kind", "subject_id", "id"],
    )
    op.create_table(
        "public_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country_iso2", sa.String(length=2), nullable=False),
        sa.Column("park_id", sa.String(length=64), nullable=True),
        sa.Column("os_hub_id", sa.String(length=15), nullable=True),
        sa.Column("licence_id", sa.String(length=32), nullable=False),
        sa.Column("methodology_version", sa.String(length=64), nullable=False),
        sa.Column("reference_versions", sa.JSON(), nullable=False),
        sa.Column("discharge", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("etag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["publication_consent.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject_kind", "subject_id"),
    )
    op.create_index("ix_public_profile_country_iso2", "public_profile", ["country_iso2"])
    op.create_index("ix_public_profile_park_id", "public_profile", ["park_id"])
    op.create_index("ix_public_profile_os_hub_id", "public_profile", ["os_hub_id"])
    op.create_table(
        "public_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("indicator_group", sa.String(length=32), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.String(length=200), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("verification_status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["public_profile.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_public_value_profile", "public_value", ["profile_id", "year"])
    op.create_table(
        "open_data_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "open_data_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["open_data_release.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("release_id", "name"),
    )


def downgrade() -> None:
    op.drop_table("open_data_file")
    op.drop_table("open_data_release")
    op.drop_index("ix_public_value_profile", table_name="public_value")
    op.drop_table("public_value")
    op.drop_index("ix_public_profile_os_hub_id", table_name="public_profile")
    op.drop_index("ix_public_profile_park_id", table_name="public_profile")
    op.drop_index("ix_public_profile_country_iso2", table_name="public_profile")
    op.drop_table("public_profile")
    op.drop_index("ix_publication_consent_subject", table_name="publication_consent")
    op.drop_table("publication_consent")
