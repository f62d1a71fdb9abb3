"""mdcms-api: a headless content API for markdown sites."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, overridden by ``config`` (tests use it).

    When the `flask` command loads the app to run one of mdcms-api's own commands, nothing of
    the HTTP side is built: `flask import-site` starts without importing flask-smorest,
    marshmallow or the serving middleware. Any other command gets the whole app.
    """
    from mdcms_api.cli import AppCommands, flask_cli_is_finding_a_command
    from mdcms_api.config import load_config
    from mdcms_api.storage.db import Database

    app = Flask(__name__)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    app.extensions["mdcms.db"] = Database(app.config["DATABASE_URL"])
    commands = AppCommands(app.name, complete_app=lambda: _init_http(app))
    app.cli = commands
    if not flask_cli_is_finding_a_command():
        commands.complete_app()
    return app


def _init_http(app: Flask) -> None:
    from mdcms_api.api import init_api
    from mdcms_api.serving import init_serving

    init_api(app)
    init_serving(app)  # last: see its docstring
