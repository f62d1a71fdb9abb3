"""Alembic environment: migrates the database the app is configured for."""

from alembic import context
from sqlalchemy import Connection

import mdcms_api.storage.models  # noqa: F401 - registers every table on the metadata
from mdcms_api.storage.db import make_engine
from mdcms_api.storage.migrations import database_url_for_alembic
from mdcms_api.storage.models import Base
from mdcms_api.storage.search import not_a_search_table


def run_migrations(connection: Connection) -> None:
    """Run the migrations on ``connection``, in batch mode on SQLite (it cannot ALTER much)."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=not_a_search_table,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(database_url_for_alembic(context.config))
    with engine.connect() as connection:
        run_migrations(connection)
    engine.dispose()
