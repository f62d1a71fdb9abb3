"""Fixtures: the app on a fresh database of each backend, client, runner."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from mdcms_api import create_app
from mdcms_api.cli import import_options
from mdcms_api.config import normalize_database_url
from mdcms_api.importer.report import ImportReport
from mdcms_api.importer.sync import sync_site
from mdcms_api.storage import migrations
from mdcms_api.storage.db import make_engine

SAMPLE_SITES = Path(__file__).resolve().parents[1] / "sample-sites"
POSTGRES_URL_VARIABLE = "MDCMS_TEST_POSTGRESQL_URL"
POSTGRES_SKIP_REASON = (
    f"PostgreSQL tests need {POSTGRES_URL_VARIABLE}, e.g. "
    "postgresql://postgres@127.0.0.1:5432/test (a server where we may create databases)"
)
BACKENDS = ["sqlite", "postgresql"]


class PostgresServer:
    """Creates throw-away databases on the PostgreSQL server the environment names."""

    def __init__(self, url: str) -> None:
        self.url = make_url(normalize_database_url(url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create_database(self) -> str:
        name = f"mdcms_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(POSTGRES_SKIP_REASON)
    server = PostgresServer(url)
    yield server
    server.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database engine under test: every database test runs on each."""
    return request.param


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a brand-new, empty database of the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return request.getfixturevalue("postgres_server").create_database()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "mdcms.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_migrated(postgres_server: PostgresServer) -> str:
    """A PostgreSQL database migrated to head once; tests empty its tables between them."""
    url = postgres_server.create_database()
    engine = make_engine(url)
    migrations.upgrade(engine)
    engine.dispose()
    return url


def _empty_postgres_tables(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        tables = [
            name for name in inspect(connection).get_table_names() if name != "alembic_version"
        ]
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a database at the newest revision, with no data, of the backend under test."""
    if backend == "sqlite":
        path = tmp_path / "mdcms.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_migrated")
    _empty_postgres_tables(url)
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, as a test would configure it."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    app.instance_path = str(tmp_path / "instance")
    yield app
    app.extensions["mdcms.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def import_site(app: Flask) -> Callable[..., ImportReport]:
    """Sync a folder into the app's database as `flask import-site` does; return the report."""

    def run(
        path: Path, site: str | None = None, *, dry_run: bool = False, strict: bool = False
    ) -> ImportReport:
        with app.app_context():
            options = import_options(site or path.name, dry_run, strict)
            return sync_site(app.extensions["mdcms.db"], Path(path), options)

    return run


@pytest.fixture
def sample_sites() -> Path:
    """The folder of sample sites shipped with the repository."""
    return SAMPLE_SITES
