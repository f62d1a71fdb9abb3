"""How the app meets HTTP in production: compression, request ids and JSON request logs."""

from __future__ import annotations

from flask import Flask

from mdcms_api.serving.compression import init_compression
from mdcms_api.serving.request_log import init_request_log


def init_serving(app: Flask) -> None:
    """Install compression and the request log on ``app``; call it after every other init."""
    init_compression(app)
    init_request_log(app)
