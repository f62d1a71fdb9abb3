"""Request ids on every response and, when asked, one JSON line per request."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Flask

LOGGER_NAME = "mdcms_api.requests"
REQUEST_ID_HEADER = "X-Request-Id"
# An id from a proxy is reused only if it cannot break a log line or a header.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}", re.ASCII)
# Whatever a client names a token goes into the log as [redacted]; preview tokens travel in the
# Authorization header, which is never logged, but a client may put one in the query string.
_SECRET_PARAMETER = re.compile(r"(^|&)([^=&]*token[^=&]*)=[^&]*", re.IGNORECASE)

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def request_id(environ: Environ) -> str:
    """The caller's ``X-Request-Id`` when it is a sane token, else a new random one."""
    given = environ.get("HTTP_X_REQUEST_ID", "")
    return given if _ACCEPTABLE_ID.fullmatch(given) else uuid.uuid4().hex


def redact_query(query: str) -> str:
    """``query`` with the value of every parameter whose name contains "token" hidden."""
    return _SECRET_PARAMETER.sub(r"\1\2=[redacted]", query)


def _wsgi_text(value: str) -> str:
    # WSGI hands over the raw path as latin-1 code points; the URL itself is UTF-8.
    return value.encode("latin-1").decode("utf-8", "replace")


class RequestLogMiddleware:
    """WSGI middleware: assigns request ids and logs each request once its body is sent.

    It wraps the whole Flask app, so the log sees the final status and the bytes that left
    after compression, whatever order the app's own hooks run in.
    """

    def __init__(self, app: WsgiApp, logger: logging.Logger | None) -> None:
        self.app = app
        self.logger = logger

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        rid = request_id(environ)
        environ["HTTP_X_REQUEST_ID"] = rid  # the app (and its error pages) see the same id
        status = ""

        def start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            nonlocal status
            status = code
            headers = [(k, v) for k, v in headers if k.lower() != REQUEST_ID_HEADER.lower()]
            headers.append((REQUEST_ID_HEADER, rid))
            return start_response(code, headers, exc_info)

        body = self.app(environ, start)
        if self.logger is None:
            return body

        def finish(sent: int) -> None:
            record = _record(environ, rid, status, sent, time.perf_counter() - started)
            self.logger.info(json.dumps(record, separators=(",", ":")))

        return _LoggedBody(body, finish)


class _LoggedBody:
    """The response body, counted as it is sent; reports once, at its end or at close()."""

    def __init__(self, body: Iterable[bytes], finish: Callable[[int], None]) -> None:
        self.body = body
        self.finish = finish
        self.sent = 0
        self.reported = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk
        self._report()

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._report()  # a client that went away half-way is logged too

    def _report(self) -> None:
        if not self.reported:
            self.reported = True
            self.finish(self.sent)


def _record(environ: Environ, rid: str, status: str, sent: int, seconds: float) -> dict[str, Any]:
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": rid,
        "method": environ.get("REQUEST_METHOD", ""),
        "path": _wsgi_text(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")),
        "query": redact_query(_wsgi_text(environ.get("QUERY_STRING", ""))),
        "status": int(status.split(" ", 1)[0]) if status else None,
        "duration_ms": round(seconds * 1000, 2),
        "bytes": sent,
        "remote_addr": environ.get("REMOTE_ADDR"),
        "user_agent": environ.get("HTTP_USER_AGENT"),
    }
    if "HTTP_X_FORWARDED_FOR" in environ:
        # The client behind a load balancer; REMOTE_ADDR is then the balancer.
        record["forwarded_for"] = environ["HTTP_X_FORWARDED_FOR"]
    return record


def _json_logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    if not logger.handlers:  # create_app may run many times in one process (tests do)
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        # Lines go to stdout exactly once, in our format, whatever the root logger does.
        logger.propagate = False
    return logger


def init_request_log(app: Flask) -> None:
    """Wrap ``app`` so that every response carries X-Request-Id; log JSON if MDCMS_JSON_LOGS."""
    logger = _json_logger() if app.config["MDCMS_JSON_LOGS"] else None
    app.wsgi_app = RequestLogMiddleware(app.wsgi_app, logger)  # type: ignore[method-assign]
