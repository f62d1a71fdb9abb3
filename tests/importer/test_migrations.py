"""Alembic migrations on each backend: empty -> head -> base -> head, and the schema check."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from mdcms_api import create_app
from mdcms_api.storage import migrations
from mdcms_api.storage.db import make_engine
from mdcms_api.storage.models import Base
from mdcms_api.storage.search import is_search_table
from tests.sites import write_post


def tables(engine) -> set[str]:
    """The tables the models describe; the search tables are tested in tests/search."""
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_search_table(name)}


def test_empty_to_head_to_base_to_head(empty_database_url):
    engine = make_engine(empty_database_url)
    assert migrations.schema_state(engine) is migrations.SchemaState.EMPTY
    migrations.upgrade(engine)
    assert tables(engine) == set(Base.metadata.tables)
    assert migrations.schema_state(engine) is migrations.SchemaState.CURRENT
    migrations.downgrade(engine, "base")
    assert tables(engine) == set()
    migrations.upgrade(engine)
    assert migrations.schema_state(engine) is migrations.SchemaState.CURRENT
    engine.dispose()


def test_import_creates_the_schema_in_an_empty_database(empty_database_url, tmp_path: Path):
    write_post(tmp_path / "site", "2025-01-01-a", title="A")
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database_url})
    result = app.test_cli_runner().invoke(args=["import-site", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    engine = app.extensions["mdcms.db"].engine
    assert migrations.schema_state(engine) is migrations.SchemaState.CURRENT
    engine.dispose()


def test_models_match_the_migrations(database_url):
    """Autogenerate finds nothing to do: every model change came with a revision."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from mdcms_api.storage.search import not_a_search_table

    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": not_a_search_table}
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_unknown_tables_are_refused(empty_database_url):
    engine = make_engine(empty_database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE somebody_elses (id INTEGER)")
    assert migrations.schema_state(engine) is migrations.SchemaState.UNKNOWN
    engine.dispose()


def test_the_head_revision_is_alembics_head():
    """The schema check knows the head without importing Alembic: keep it in step."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations.MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head == migrations.HEAD_REVISION, (
        f"a new migration: set HEAD_REVISION in mdcms_api/storage/migrations.py to {head!r}"
    )


def test_older_and_unknown_revisions(empty_database_url):
    engine = make_engine(empty_database_url)
    assert migrations.current_revision(engine) is None
    migrations.upgrade(engine, "0003")
    assert migrations.current_revision(engine) == "0003"
    assert migrations.schema_state(engine) is migrations.SchemaState.OUTDATED
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00dcafe'")
    assert migrations.schema_state(engine) is migrations.SchemaState.UNKNOWN
    engine.dispose()
