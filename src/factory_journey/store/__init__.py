"""The store: SQLAlchemy 2 tables, repositories and Alembic migrations.

SQLite file by default (zero set-up), PostgreSQL with the same code. Submissions, raw uploads,
evidence, verification records and assessment snapshots are append-only: a correction is a
new version, and nothing is deleted.
"""
