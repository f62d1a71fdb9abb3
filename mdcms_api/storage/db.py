"""Engines and sessions for SQLite and PostgreSQL, with the connection settings each needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from mdcms_api.config import normalize_database_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(engine: Engine) -> bool:
    """Whether ``engine`` talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling starts transactions lazily and cannot take the write
    # lock up front; SQLAlchemy's documented recipe hands BEGIN to us instead.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for an import
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        # A writer asks for the lock at BEGIN so that two imports queue up instead of
        # failing half-way with "database is locked" on their first write.
        mode = "IMMEDIATE" if connection.info.get("write") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, **kwargs: object) -> Engine:
    """Create an engine for ``url`` (plain ``postgres://`` URLs included)."""
    url = normalize_database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _snapshot_reads(engine: Engine) -> Engine:
    """Reads that see one snapshot for their whole transaction (one API request).

    A response is built from several queries (count, rows, authors, keywords); under
    PostgreSQL's default READ COMMITTED an import committing in between would mix two versions
    of the site in one response. SQLite's read transactions are snapshots already (WAL).
    """
    if is_sqlite(engine):
        return engine
    return engine.execution_options(isolation_level="REPEATABLE READ")


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = sessionmaker(_snapshot_reads(self.engine), expire_on_commit=False)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session for a write transaction: committed on success, rolled back on any error.

        On SQLite the write lock is taken at BEGIN, so concurrent writers wait their turn.
        """
        with self.engine.connect() as connection:
            connection.info["write"] = True
            try:
                with Session(bind=connection, expire_on_commit=False) as session, session.begin():
                    yield session
            finally:
                connection.info.pop("write", None)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
