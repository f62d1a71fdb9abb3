"""The `flask` command builds only what a command needs, and every command still finds the app."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import FlaskGroup

from mdcms_api import create_app
from tests.sites import write_post

OWN_COMMANDS = {"import-site", "list-sites", "remove-site", "db"}
# What a no-change re-sync must not import: the HTTP API and its middleware, rendering, Alembic.
HEAVY_MODULES = (
    "flask_smorest",
    "marshmallow",
    "apispec",
    "flask_cors",
    "flask_compress",
    "mdcms_api.api",
    "mdcms_api.serving",
    "markdown",
    "alembic",
)
# `flask import-site` as a writer runs it, then the heavy modules that got imported.
RESYNC_SCRIPT = f"""
import sys
from flask.cli import main
sys.argv[0] = "flask"
try:
    main()
finally:
    print(sorted(name for name in {HEAVY_MODULES!r} if name in sys.modules))
"""


@pytest.fixture
def flask_command(database_url: str, monkeypatch) -> Iterator[Callable[..., Result]]:
    """Run the `flask` command in-process, loading the app the way `--app mdcms_api` does."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")  # the `flask` command sets it: undo that
    apps: list[Flask] = []

    def load() -> Flask:
        apps.append(create_app({"TESTING": True, "DATABASE_URL": database_url}))
        return apps[-1]

    group = FlaskGroup(create_app=load, load_dotenv=False, set_debug_flag=False)
    yield lambda *args: CliRunner().invoke(group, list(args), catch_exceptions=False)
    for app in apps:
        app.extensions["mdcms.db"].dispose()


def test_the_command_list_shows_every_command(flask_command, app):
    result = flask_command("--help")
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines()[1:]}
    assert listed == OWN_COMMANDS | {"openapi", "routes", "run", "shell"}
    assert set(app.cli.commands) == OWN_COMMANDS | {"openapi"}


def test_flask_routes_lists_every_route_of_the_served_app(flask_command, app):
    result = flask_command("routes")
    assert result.exit_code == 0, result.output
    routed = {line.split()[-1] for line in result.output.splitlines()[2:]}
    assert routed == {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/healthz", "/api/v1/sites", "/api/v1/openapi.json"} <= routed


def test_flask_openapi_write_builds_the_api_first(flask_command, tmp_path: Path):
    target = tmp_path / "openapi.yaml"
    result = flask_command("openapi", "write", "--format=yaml", str(target))
    assert result.exit_code == 0, result.output
    committed = Path(__file__).resolve().parents[2] / "openapi.yaml"
    assert yaml.safe_load(target.read_text()) == yaml.safe_load(committed.read_text())


def test_own_commands_run_without_the_api(flask_command):
    result = flask_command("db", "current")
    assert result.exit_code == 0 and "(current)" in result.output, result.output
    assert flask_command("list-sites").output == "no sites yet: run `flask import-site PATH`\n"


def test_a_no_change_resync_imports_neither_the_api_nor_markdown_nor_alembic(
    runner, database_url: str, tmp_path: Path
):
    site = tmp_path / "notes"
    write_post(site, "2025-01-01-hello", title="Hello")
    assert runner.invoke(args=["import-site", str(site)]).exit_code == 0
    environment = {**os.environ, "DATABASE_URL": database_url}
    completed = subprocess.run(
        [sys.executable, "-c", RESYNC_SCRIPT, "--app", "mdcms_api", "import-site", str(site)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    summary, imported = completed.stdout.strip().splitlines()[-2:]
    assert summary.startswith("notes: 0 added, 0 updated, 1 unchanged"), completed.stdout
    assert imported == "[]"
