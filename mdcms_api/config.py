"""Configuration read from the environment, in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "MDCMS_CACHE_MAX_AGE": 60,
    "MDCMS_CORS_ORIGINS": "*",
    "MDCMS_PREVIEW_TOKEN": None,
    "MDCMS_PUBLIC_URL": "",
    "MDCMS_LINK_PATTERN": "/api/v1/sites/{site}/{kind}s/{slug}",
    "MDCMS_ASSET_BASE_URL": None,
    "MDCMS_MAX_FILE_BYTES": 2 * 1024 * 1024,
    "MDCMS_MAX_ASSET_BYTES": 20 * 1024 * 1024,
    # Asset URLs carry no version: a day is a balance between CDN hits and seeing a changed file.
    "MDCMS_ASSET_MAX_AGE": 86400,
    "MDCMS_JSON_LOGS": False,
    "MDCMS_IMPORT_WORKERS": os.cpu_count() or 1,
    "MDCMS_RESPONSE_CACHE_SIZE": 1024,
    # Where the interactive docs at /api/v1/docs load Swagger UI's scripts from (a CDN by default;
    # point it at a self-hosted copy of swagger-ui-dist where browsers cannot reach the CDN).
    "MDCMS_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
}
INT_SETTINGS = {
    "MDCMS_CACHE_MAX_AGE",
    "MDCMS_MAX_FILE_BYTES",
    "MDCMS_MAX_ASSET_BYTES",
    "MDCMS_ASSET_MAX_AGE",
    "MDCMS_IMPORT_WORKERS",
    "MDCMS_RESPONSE_CACHE_SIZE",
}
BOOL_SETTINGS = {"MDCMS_JSON_LOGS"}


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs (``postgres://``, ``postgresql://``) at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_database_url(instance_path: str | os.PathLike[str]) -> str:
    """The embedded default: a SQLite file in the Flask instance folder."""
    return f"sqlite:///{Path(instance_path) / 'mdcms.sqlite3'}"


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(
    instance_path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Build the app's settings from ``DATABASE_URL`` and the ``MDCMS_*`` environment variables."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = dict(DEFAULTS)
    for key in DEFAULTS:
        if key not in environ:
            continue
        raw = environ[key]
        if key in INT_SETTINGS:
            config[key] = int(raw)
        elif key in BOOL_SETTINGS:
            config[key] = _parse_bool(raw)
        else:
            config[key] = raw
    config["DATABASE_URL"] = environ.get("DATABASE_URL") or default_database_url(instance_path)
    return config
