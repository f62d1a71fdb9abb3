"""The framework floor: a bare Flask app that returns the post list's exact bytes from memory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BODY_FILE_VARIABLE = "BENCH_BODY_FILE"
CONTENT_TYPE_VARIABLE = "BENCH_CONTENT_TYPE"


def create_app() -> Flask:
    """An app with one route serving the bytes of the file named by ``BENCH_BODY_FILE``."""
    body = Path(os.environ[BODY_FILE_VARIABLE]).read_bytes()
    content_type = os.environ.get(CONTENT_TYPE_VARIABLE, "application/json")
    app = Flask(__name__)

    # The same path as the real list, so that routing costs the same.
    @app.get("/api/v1/sites/<site>/posts")
    def posts(site: str) -> Response:
        return Response(body, content_type=content_type)

    return app
