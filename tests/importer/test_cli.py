"""The command line, through Flask's CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdcms_api.storage import migrations
from tests.sites import write_file, write_post


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "My Notes"
    write_post(root, "2025-01-01-hello", title="Hello", author="Raj Patel")
    return root


def test_import_site_prints_a_summary_and_uses_the_folder_name(runner, site):
    result = runner.invoke(args=["import-site", str(site)])
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith("my-notes: 1 added, 0 updated, 0 unchanged")
    )
    result = runner.invoke(args=["list-sites"])
    assert "my-notes\t1 posts\t0 pages" in result.output


def test_import_site_with_a_broken_file_exits_1_and_names_it(runner, site):
    write_file(site, "posts/2025-02-02-bad.md", "---\ncreated: someday\n---\n")
    result = runner.invoke(args=["import-site", str(site), "--site", "notes"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert any(
        line.startswith("posts/2025-02-02-bad.md:2: error:") and "created" in line for line in lines
    )
    assert lines[-1].startswith("notes: 1 added") and "1 failed" in lines[-1]


def test_dry_run_and_strict_flags(runner, site):
    write_file(site, "posts/2025-02-02-bad.md", "---\ndraft: perhaps\n---\n")
    result = runner.invoke(args=["import-site", str(site), "--strict"])
    assert result.exit_code == 1 and "aborted, nothing changed" in result.output
    result = runner.invoke(args=["import-site", str(site), "--dry-run"])
    assert "1 would be added" in result.output and "dry run, nothing changed" in result.output
    assert "no sites yet" in runner.invoke(args=["list-sites"]).output


def test_remove_site(runner, site):
    runner.invoke(args=["import-site", str(site)])
    assert runner.invoke(args=["remove-site", "my-notes"], input="n\n").exit_code == 1
    result = runner.invoke(args=["remove-site", "my-notes", "--yes"])
    assert result.exit_code == 0 and "removed site 'my-notes'" in result.output
    result = runner.invoke(args=["remove-site", "my-notes", "--yes"])
    assert result.exit_code == 1 and "no site 'my-notes'" in result.output


def test_import_refuses_a_database_at_an_older_revision(runner, site, monkeypatch):
    monkeypatch.setattr(migrations, "head_revision", lambda: "9999_newer")
    result = runner.invoke(args=["import-site", str(site)])
    assert result.exit_code == 1
    assert "run `flask db upgrade`" in result.output


def test_db_commands(runner):
    result = runner.invoke(args=["db", "current"])
    assert (
        f"current: {migrations.head_revision()}" in result.output and "(current)" in result.output
    )
    assert "database at base" in runner.invoke(args=["db", "downgrade", "base"]).output
    assert "current: none" in runner.invoke(args=["db", "current"]).output
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and migrations.head_revision() in result.output
