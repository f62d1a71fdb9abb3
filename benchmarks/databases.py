"""Fresh databases for the benchmarks: a SQLite file under .cache, or a PostgreSQL database."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.corpus import CACHE_DIR

POSTGRESQL_URL_VARIABLE = "MDCMS_BENCH_POSTGRESQL_URL"
DEFAULT_POSTGRESQL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _sqlite_path(n: int) -> Path:
    return CACHE_DIR / "db" / f"bench-n{n}.sqlite3"


def _server_url() -> str:
    return os.environ.get(POSTGRESQL_URL_VARIABLE, DEFAULT_POSTGRESQL_URL)


def _postgresql_url(n: int) -> str:
    base = _server_url().rsplit("/", 1)[0]
    return f"{base}/mdcms_bench_n{n}"


def database_url(backend: str, n: int) -> str:
    """The URL of the benchmark database for ``n`` posts (it may not exist yet)."""
    if backend == "sqlite":
        return f"sqlite:///{_sqlite_path(n)}"
    return _postgresql_url(n)


def fresh_database(backend: str, n: int) -> str:
    """Drop and re-create the benchmark database for ``n`` posts; return its URL."""
    if backend == "sqlite":
        path = _sqlite_path(n)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return database_url(backend, n)
    import psycopg  # only the PostgreSQL backend needs it

    name = f"mdcms_bench_n{n}"
    with psycopg.connect(_server_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return database_url(backend, n)


def database_exists(backend: str, n: int) -> bool:
    """Whether a benchmark database for ``n`` posts was left by an earlier run."""
    if backend == "sqlite":
        return _sqlite_path(n).is_file()
    import psycopg

    with psycopg.connect(_server_url(), autocommit=True) as admin:
        row = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (f"mdcms_bench_n{n}",)
        ).fetchone()
    return row is not None


def database_bytes(backend: str, n: int) -> int:
    """The on-disk size of the benchmark database (the data the import wrote)."""
    if backend == "sqlite":
        path = _sqlite_path(n)
        return sum(
            Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
        )
    import psycopg

    with psycopg.connect(_server_url(), autocommit=True) as admin:
        row = admin.execute("SELECT pg_database_size(%s)", (f"mdcms_bench_n{n}",)).fetchone()
    return int(row[0]) if row else 0
