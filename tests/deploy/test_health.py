"""The database check behind /healthz, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from mdcms_api.storage import health, migrations
from mdcms_api.storage.db import make_engine


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def set_revision(engine, revision: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_a_migrated_database_is_healthy(engine):
    healthy, message = health.check_database(engine)
    assert healthy, message
    assert migrations.head_revision() in message


def test_an_empty_database_needs_an_upgrade(empty_database_url):
    engine = make_engine(empty_database_url)
    assert health.check_database(engine) == (
        False,
        "the database has no schema: run `flask db upgrade`",
    )
    engine.dispose()


def test_an_older_revision_needs_an_upgrade(engine, monkeypatch):
    head = migrations.head_revision()
    monkeypatch.setattr(health, "_shipped_revisions", lambda: ("9999", frozenset({head, "9999"})))
    healthy, message = health.check_database(engine)
    assert not healthy
    assert f"at revision {head}, this code needs 9999" in message


def test_a_newer_revision_keeps_old_workers_serving_during_a_rolling_deploy(engine):
    set_revision(engine, "f00dcafe")
    try:
        healthy, message = health.check_database(engine)
    finally:
        # PostgreSQL tests share one migrated database: leave its revision as we found it.
        set_revision(engine, migrations.head_revision())
    assert healthy
    assert "f00dcafe, newer than this code's" in message


def test_an_unreachable_database_is_unhealthy_without_leaking_its_address(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}")
    assert health.check_database(engine) == (
        False,
        "the database does not answer (OperationalError)",
    )
    engine.dispose()
