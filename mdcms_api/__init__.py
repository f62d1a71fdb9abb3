"""mdcms-api: a headless content API for markdown sites."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, overridden by ``config`` (tests use it)."""
    from mdcms_api.cli import register_commands
    from mdcms_api.config import load_config
    from mdcms_api.storage.db import Database

    app = Flask(__name__)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    app.extensions["mdcms.db"] = Database(app.config["DATABASE_URL"])
    register_commands(app)
    from mdcms_api.api import init_api

    init_api(app)
    from mdcms_api.serving import init_serving

    init_serving(app)
    return app
