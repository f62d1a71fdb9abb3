"""How the app meets HTTP in production: compression, a response cache, request ids and logs."""

from __future__ import annotations

from flask import Flask

from mdcms_api.serving.compression import init_compression
from mdcms_api.serving.request_log import init_request_log
from mdcms_api.serving.response_cache import init_response_cache


def init_serving(app: Flask) -> None:
    """Install compression, the response cache and the request log; call it after every other init.

    The cache wraps Flask's own WSGI app and the request log wraps the cache, so that answers
    from memory get request ids and log lines too.
    """
    init_compression(app)
    init_response_cache(app)
    init_request_log(app)
