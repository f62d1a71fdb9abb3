"""CORS: origins from MDCMS_CORS_ORIGINS, preflight answered, ETag and Link readable."""

from __future__ import annotations

from flask import Flask, Response
from flask_cors import CORS

# Cache-Control, Last-Modified and Content-Type are CORS-safelisted already.
EXPOSED_HEADERS = ["ETag", "Link"]
ALLOWED_HEADERS = ["Authorization", "If-None-Match", "If-Modified-Since", "Content-Type"]
PREFLIGHT_MAX_AGE = 600


def allowed_origins(setting: str) -> str | list[str]:
    """``*`` for any origin, else the comma-separated origins (none when empty)."""
    origins = [origin.strip() for origin in setting.split(",") if origin.strip()]
    return "*" if "*" in origins else origins


def _vary_on_origin(response: Response) -> Response:
    response.vary.add("Origin")
    return response


def init_app(app: Flask) -> None:
    """Answer CORS for the API and the health check."""
    origins = allowed_origins(app.config["MDCMS_CORS_ORIGINS"])
    CORS(
        app,
        resources=[r"/api/*", "/healthz"],
        origins=origins,
        # A literal "*" for any origin: one cached copy serves every site that fetches it.
        send_wildcard=origins == "*",
        methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=PREFLIGHT_MAX_AGE,
    )
    if origins != "*":
        # flask-cors skips Vary when a single origin is allowed, but the answer still depends
        # on the request's Origin (a shared cache must not give one origin's copy to another).
        app.after_request(_vary_on_origin)
