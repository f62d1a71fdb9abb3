"""Imports at the same time as other imports and as readers, on each backend."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mdcms_api.importer import prepare
from mdcms_api.importer.report import ImportReport
from mdcms_api.storage.db import SQLITE_BUSY_TIMEOUT_MS, Database, make_engine
from mdcms_api.storage.models import Author, Keyword, Page, Post, Site
from tests.corpus import GeneratedSite, generate_site

# Enough files that the two imports overlap for a good part of a second.
CONCURRENT_POSTS = 60


def start_import(database_url: str, root: Path, site: str, cwd: Path) -> subprocess.Popen[str]:
    """`flask import-site` in a process of its own, as a CI job or a git hook runs it."""
    command = [sys.executable, "-m", "flask", "--app", "mdcms_api", "import-site", str(root)]
    return subprocess.Popen(
        [*command, "--site", site],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=cwd,  # away from any .env in the repository, which the flask command would read
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def counts(database_url: str, slug: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        site_id = connection.scalar(select(Site.id).where(Site.slug == slug))
        result = {
            model.__tablename__: connection.scalar(
                select(func.count()).select_from(model).where(model.site_id == site_id)
            )
            for model in (Post, Page, Author, Keyword)
        }
    engine.dispose()
    return result


def expected_counts(site: GeneratedSite) -> dict[str, int]:
    return {
        "posts": site.posts,
        "pages": site.pages,
        "authors": len(site.authors),
        "keywords": len(site.keywords),
    }


def test_two_imports_of_one_site_at_once_leave_it_consistent(database_url, import_site, tmp_path):
    site = generate_site(tmp_path / "site", CONCURRENT_POSTS, seed=11)
    files = site.posts + site.pages
    processes = [start_import(database_url, site.root, "shared", tmp_path) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, out + err
    # One did the work; the other waited for it and then found every file already there.
    summaries = sorted(out.strip().splitlines()[-1] for out, _ in outputs)
    assert summaries == [
        f"shared: 0 added, 0 updated, {files} unchanged, 0 removed, 0 failed, 0 warnings "
        "(content version 1)",
        f"shared: {files} added, 0 updated, 0 unchanged, 0 removed, 0 failed, 0 warnings "
        "(content version 1)",
    ]
    assert counts(database_url, "shared") == expected_counts(site)
    third = import_site(site.root, "shared")
    assert (third.added, third.updated, third.removed, third.unchanged) == ([], [], [], files)


@pytest.fixture
def paused_import(app, import_site, monkeypatch) -> Callable[..., Iterator[list[ImportReport]]]:
    """Run an import in a thread and hold it inside its transaction, after its first writes."""

    @contextmanager
    def run(root: Path, slug: str) -> Iterator[list[ImportReport]]:
        inside, release = threading.Event(), threading.Event()
        real_prepare = prepare.prepare

        def prepare_after_release(*args, **kwargs):  # type: ignore[no-untyped-def]
            if threading.current_thread() is writer:  # other imports in the test run freely
                inside.set()
                release.wait(timeout=30)
            return real_prepare(*args, **kwargs)

        monkeypatch.setattr(prepare, "prepare", prepare_after_release)
        reports: list[ImportReport] = []
        writer = threading.Thread(target=lambda: reports.append(import_site(root, slug)))
        writer.start()
        try:
            assert inside.wait(timeout=30), "the import never reached its first file"
            yield reports
        finally:
            release.set()
            writer.join(timeout=60)
            monkeypatch.setattr(prepare, "prepare", real_prepare)
        assert reports and reports[0].committed

    return run


def test_readers_are_not_blocked_by_an_import_of_another_site(
    runner, import_site, paused_import, tmp_path
):
    first = generate_site(tmp_path / "a", 10, seed=1, n_pages=2)
    second = generate_site(tmp_path / "b", 10, seed=2, n_pages=2)
    assert import_site(first.root, "a").committed
    with paused_import(second.root, "b"):
        started = time.perf_counter()
        result = runner.invoke(args=["list-sites"])
        waited = time.perf_counter() - started
        assert result.exit_code == 0, result.output
        # Site a as it is; site b not at all until its import commits.
        assert result.output.splitlines() == ["a\t10 posts\t2 pages\tGenerated"]
        assert waited < SQLITE_BUSY_TIMEOUT_MS / 1000 / 10
    assert "b\t10 posts\t2 pages" in runner.invoke(args=["list-sites"]).output


def test_imports_of_two_sites_run_side_by_side_on_postgresql(
    backend, database_url, import_site, paused_import, tmp_path
):
    if backend == "sqlite":
        pytest.skip("SQLite has one writer at a time: the second import waits, by design")
    first = generate_site(tmp_path / "a", 10, seed=1, n_pages=2)
    second = generate_site(tmp_path / "b", 10, seed=2, n_pages=2)
    with paused_import(second.root, "b"):
        report = import_site(first.root, "a")  # would hang here if sites shared one lock
        assert report.committed and len(report.added) == 12
    assert counts(database_url, "a") == expected_counts(first)
    assert counts(database_url, "b") == expected_counts(second)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    engine.dispose()


def test_sqlite_writers_take_the_write_lock_at_begin_and_readers_go_on(tmp_path):
    path = tmp_path / "locks.sqlite3"
    database = Database(f"sqlite:///{path}")
    with database.writing() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with database.writing() as session:
        session.execute(text("SELECT 1"))  # no write yet, but the lock is already held
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        assert other.execute("SELECT count(*) FROM t").fetchone() == (0,)
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()
    database.dispose()
