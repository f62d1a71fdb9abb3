"""Running the Alembic migrations in ``migrations/`` and telling how far a database is."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from mdcms_api.config import load_config

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# The newest revision in migrations/versions: bump it with every new migration
# (tests/importer/test_migrations.py checks it against Alembic's head). Knowing it without
# Alembic keeps Alembic's import (about 70 ms, mako and pygments included) off every command
# that finds the database current.
HEAD_REVISION = "0004"
VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps


class SchemaState(Enum):
    """Where a database stands against the migrations this code ships."""

    EMPTY = "empty"  # no tables at all: safe to create
    CURRENT = "current"
    OUTDATED = "outdated"  # an older revision: `flask db upgrade` needed
    UNKNOWN = "unknown"  # tables we did not create, or a revision this code does not know


class SchemaError(RuntimeError):
    """The database schema does not match this version of mdcms-api."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at our migrations and at ``engine``'s database."""
    config = _script_config()
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def database_url_for_alembic(config: Config) -> str:
    """The URL env.py connects to: the one we set, else the app's ``DATABASE_URL``."""
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    return load_config(instance_path=Path.cwd() / "instance")["DATABASE_URL"]


def _run(engine: Engine, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate ``engine``'s database up to ``revision``."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate ``engine``'s database down to ``revision`` (``base`` removes every table)."""
    _run(engine, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None if Alembic never ran on it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        revisions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        found = revisions.all()
    if len(found) > 1:
        # Our migrations never branch: several heads mean somebody else's Alembic history.
        raise SchemaError(f"the database is at several revisions at once: {', '.join(found)}")
    return found[0] if found else None


def head_revision() -> str:
    """The newest revision this code ships."""
    return HEAD_REVISION


def _script_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _shipped_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_script_config())
    return {revision.revision for revision in script.walk_revisions()}


def schema_state(engine: Engine) -> SchemaState:
    """Compare the database's revision with the code's head revision."""
    revision = current_revision(engine)
    if revision is None:
        tables = set(inspect(engine).get_table_names()) - {VERSION_TABLE}
        return SchemaState.EMPTY if not tables else SchemaState.UNKNOWN
    if revision == head_revision():
        return SchemaState.CURRENT
    return SchemaState.OUTDATED if revision in _shipped_revisions() else SchemaState.UNKNOWN


def ensure_schema(engine: Engine) -> None:
    """Create the schema in an empty database; refuse to touch one at another revision.

    Existing data is never migrated silently: that is for `flask db upgrade`, on purpose.
    """
    state = schema_state(engine)
    if state is SchemaState.EMPTY:
        upgrade(engine)
    elif state is SchemaState.OUTDATED:
        raise SchemaError(
            f"the database is at revision {current_revision(engine)}, this version of mdcms-api "
            f"needs {head_revision()}: run `flask db upgrade` first"
        )
    elif state is SchemaState.UNKNOWN:
        raise SchemaError(
            "the database holds tables or a revision this version of mdcms-api does not know; "
            "point DATABASE_URL at an empty database or an mdcms-api one"
        )
