"""Whether the database answers and carries a schema this code can serve from (for /healthz)."""

from __future__ import annotations

from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from mdcms_api.storage import migrations


@cache
def _shipped_revisions() -> tuple[str, frozenset[str]]:
    # Reading the migration scripts imports every one of them: do it once per process, not on
    # every probe of a load balancer.
    script = ScriptDirectory(str(migrations.MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None, "migrations/versions holds no revision"
    return head, frozenset(revision.revision for revision in script.walk_revisions())


def check_database(engine: Engine) -> tuple[bool, str]:
    """Run ``SELECT 1`` and compare the schema revision with this code's; (healthy, why).

    A revision newer than this code knows counts as healthy: during a rolling deploy
    `flask db upgrade` runs first, and the workers still on the old release must keep serving
    until they are replaced (migrations stay backwards compatible for one release for this).
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = migrations.current_revision(engine)
    except SQLAlchemyError as error:
        # The class name only: a driver's message can carry host names and user names.
        return False, f"the database does not answer ({type(error).__name__})"
    head, known = _shipped_revisions()
    if revision == head:
        return True, f"database ok, schema at revision {head}"
    if revision is None:
        return False, "the database has no schema: run `flask db upgrade`"
    if revision in known:
        return False, (
            f"the schema is at revision {revision}, this code needs {head}: run `flask db upgrade`"
        )
    return True, f"database ok, schema at revision {revision}, newer than this code's {head}"
