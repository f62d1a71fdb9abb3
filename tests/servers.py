"""Real HTTP servers on a free loopback port, run in a thread for the length of a test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from werkzeug.serving import make_server


class _Server(Protocol):
    server_port: int

    def serve_forever(self, poll_interval: float = ...) -> None: ...
    def shutdown(self) -> None: ...
    def server_close(self) -> None: ...


@contextmanager
def serving(server: _Server) -> Iterator[str]:
    """Run ``server`` in a thread; yield its base URL; stop and close it afterwards."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serve a WSGI app (threaded) on a free port of 127.0.0.1; yield its base URL."""
    with serving(make_server("127.0.0.1", 0, app, threaded=True)) as url:
        yield url
