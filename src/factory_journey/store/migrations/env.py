"""Alembic environment: runs against the engine handed in by `store.database.migrate`."""

from alembic import context
from sqlalchemy import create_engine

from factory_journey.store.models import Base

config = context.config
target_metadata = Base.metadata

engine = config.attributes.get("engine")
if engine is None:  # `alembic` command line: take the URL from the ini or the environment
    from factory_journey.store.database import database_url

    engine = create_engine(database_url(config.get_main_option("sqlalchemy.url") or None))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
