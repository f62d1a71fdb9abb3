"""CORS: origins from MDCMS_CORS_ORIGINS, preflight answered, ETag and Link readable."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

# Cache-Control, Last-Modified and Content-Type are CORS-safelisted already.
EXPOSED_HEADERS = ["ETag", "Link"]
ALLOWED_HEADERS = ["Authorization", "If-None-Match", "If-Modified-Since", "Content-Type"]
PREFLIGHT_MAX_AGE = 600


def allowed_origins(setting: str) -> str | list[str]:
    """``*`` for any origin, else the comma-separated origins (none when empty)."""
    origins = [origin.strip() for origin in setting.split(",") if origin.strip()]
    return "*" if "*" in origins else origins


def init_app(app: Flask) -> None:
    """Answer CORS for the API and the health check."""
    CORS(
        app,
        resources=[r"/api/*", "/healthz"],
        origins=allowed_origins(app.config["MDCMS_CORS_ORIGINS"]),
        methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=PREFLIGHT_MAX_AGE,
    )
