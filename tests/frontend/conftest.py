"""Fixtures for the frontend tests: the sample sites served by a real HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serve a WSGI app on a free port of 127.0.0.1 in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def serve_sites(
    app: Flask, import_site: Callable[..., Any], sample_sites: Path
) -> Iterator[Callable[..., str]]:
    """``serve_sites(*names)``: import those sample sites, serve the API; its base URL."""
    with ExitStack() as stack:

        def run(*names: str) -> str:
            for name in names:
                report = import_site(sample_sites / name)
                assert not report.failed, report.failed
            return stack.enter_context(serve_wsgi(app))

        yield run
