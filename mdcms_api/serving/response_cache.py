"""A per-process cache of finished public responses that answers repeats before Flask runs.

A site's responses change only when an import changes its content version, so a worker that
has sent a response once can send the same bytes again. This WSGI middleware sits between the
request log (outside) and Flask (inside): it keeps the *final* status, headers and body of a
public GET, after CORS, caching headers and compression, and answers a repeat of the same
request without entering Flask at all. Each response is keyed by everything in the request its
bytes depend on (URL, Host, Accept, Accept-Encoding, Origin and the two validators a cache
sends, so each 304 is kept as Flask made it too), and kept with the site's version token.

Workers stay stateless: before every answer the site's current version is read from the
database, outside any transaction, on a connection the cache keeps for that (one indexed row),
so an import committed by any process on any host is seen by the very next request.

Flask says what may be kept: the view's site lookup calls ``mark_cacheable`` (api/caching.py)
for public requests only (never preview), and only 200s and 304s without cookies or private
caching are kept. Override points: ``MDCMS_RESPONSE_CACHE_SIZE`` (entries per worker; 0: off).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterable
from threading import Lock
from typing import Any

from flask import Flask
from sqlalchemy import Engine, bindparam, event, select
from sqlalchemy.exc import DBAPIError
from werkzeug.http import http_date

from mdcms_api.api.caching import CACHEABLE
from mdcms_api.api.docs import API_PREFIX
from mdcms_api.serving.request_log import Environ, StartResponse, WsgiApp
from mdcms_api.storage.models import Site

SITES_PREFIX = f"{API_PREFIX}/sites/"
MAX_BODY_BYTES = 512 * 1024  # bigger bodies are rare and would crowd out the list pages
# What a response's bytes depend on besides the site's content. The query string is kept as
# sent: the Link header repeats it.
KEY_VARIABLES = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT",  # JSON, HTML or markdown
    "HTTP_ACCEPT_ENCODING",  # identity, gzip or br
    "HTTP_ORIGIN",  # the CORS headers
    "HTTP_IF_NONE_MATCH",  # 200 or 304, and which form of the ETag the 304 names
    "HTTP_IF_MODIFIED_SINCE",
)
# Requests left to Flask: Authorization may ask for a preview (private); the other
# preconditions are ones browsers and CDNs do not send to a read-only API.
PASSED_THROUGH = (
    "HTTP_AUTHORIZATION",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
VERSION_QUERY = select(Site.id, Site.content_version, Site.last_import_at).where(
    Site.slug == bindparam("slug")
)

Key = tuple[Any, ...]
Version = tuple[Any, ...]


class CachedResponse:
    """A finished response as Flask sent it, and the site version it was built from."""

    __slots__ = ("body", "dated", "headers", "status", "version")

    def __init__(
        self, version: Version, status: str, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        self.version = version
        self.status = status
        self.headers = headers
        self.body = body
        # Compressed responses carry a Date (flask-compress calls make_conditional).
        self.dated = any(name.lower() == "date" for name, _ in headers)

    def headers_now(self) -> list[tuple[str, str]]:
        """The headers, with the Date Flask would give a response made now."""
        if not self.dated:
            return list(self.headers)
        now = http_date()
        return [(name, now if name.lower() == "date" else value) for name, value in self.headers]


class ResponseCache:
    """A bounded, thread-safe LRU of finished responses."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Key, CachedResponse] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Key) -> CachedResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Key, entry: CachedResponse) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class SiteVersions:
    """Reads a site's version token on DBAPI connections of its own, one statement each.

    The connections come from the engine (so they get its settings, e.g. SQLite's WAL and busy
    timeout) but are detached from its pool and in autocommit: every read sees the latest commit,
    never an old snapshot, and costs one round trip. The token is (id, content_version,
    last_import_at) as the driver returns them; it is only ever compared with another one.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        compiled = VERSION_QUERY.compile(dialect=engine.dialect)
        self.sql = str(compiled)
        self.positional = compiled.positional
        self.errors = engine.dialect.loaded_dbapi.Error
        # Idle connections with the pid that opened them; list.pop and append are atomic, so
        # threads of one worker (gthread) share it without a lock.
        self.idle: list[tuple[int, Any]] = []
        # A forked child must neither use nor close (on garbage collection) its parent's.
        self.inherited: list[Any] = []
        event.listen(engine, "engine_disposed", self._close_idle)

    def read(self, slug: str) -> Version | None:
        """The site's token; None if there is no such site or the database did not answer."""
        try:
            connection = self._checkout()
        except DBAPIError:  # no connection: Flask answers, with its own error handling
            return None
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self.sql, (slug,) if self.positional else {"slug": slug})
                rows = cursor.fetchall()  # all: SQLite ends the statement (and its snapshot)
            finally:
                cursor.close()
        except self.errors:
            connection.close()  # a broken connection is not reused; Flask answers this one
            return None
        self.idle.append((os.getpid(), connection))
        return tuple(rows[0]) if rows else None

    def _checkout(self) -> Any:
        pid = os.getpid()
        while self.idle:
            owner, connection = self.idle.pop()
            if owner == pid:
                return connection
            self.inherited.append(connection)
        pooled = self.engine.raw_connection()
        pooled.detach()  # never handed back to the pool in autocommit
        connection = pooled.dbapi_connection
        self.engine.dialect.set_isolation_level(connection, "AUTOCOMMIT")
        return connection

    def _close_idle(self, _engine: Engine) -> None:
        pid = os.getpid()
        while self.idle:
            owner, connection = self.idle.pop()
            if owner == pid:
                connection.close()
            else:
                self.inherited.append(connection)


def _site_slug(environ: Environ) -> str | None:
    """The site a request the cache may answer is about; None for every other request."""
    if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in PASSED_THROUGH):
        return None
    path: str = environ.get("PATH_INFO", "")
    if not path.startswith(SITES_PREFIX):
        return None
    slug, _, rest = path[len(SITES_PREFIX) :].partition("/")
    if not slug or rest.startswith("assets/"):  # assets have ETags and a path of their own
        return None
    return slug


def _keepable(status: str, headers: list[tuple[str, str]]) -> bool:
    """Whether a response to a marked request may be kept: a public 200 or 304 of known size."""
    code = status[:3]
    if code not in ("200", "304"):
        return False
    fields = {name.lower(): value for name, value in headers}
    # Every public API response says Cache-Control: public; anything else is not ours to keep.
    if "set-cookie" in fields or "public" not in fields.get("cache-control", ""):
        return False
    if code == "304":
        return True
    length = fields.get("content-length")  # none: a streamed body
    return length is not None and int(length) <= MAX_BODY_BYTES


def _read_all(body: Iterable[bytes]) -> bytes:
    try:
        return b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


class ResponseCacheMiddleware:
    """WSGI middleware: answers a repeated public GET from memory while its site is unchanged."""

    def __init__(self, app: WsgiApp, cache: ResponseCache, versions: SiteVersions) -> None:
        self.app = app
        self.cache = cache
        self.versions = versions

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        slug = _site_slug(environ)
        version = self.versions.read(slug) if slug else None
        if slug is None or version is None:
            return self.app(environ, start_response)
        key = tuple(map(environ.get, KEY_VARIABLES))
        entry = self.cache.get(key)
        if entry is not None and entry.version == version:
            start_response(entry.status, entry.headers_now())
            return [entry.body]
        return self._answer_and_keep(environ, start_response, key, slug, version)

    def _answer_and_keep(
        self,
        environ: Environ,
        start_response: StartResponse,
        key: Key,
        slug: str,
        version: Version,
    ) -> Iterable[bytes]:
        sent: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        # The version was read before Flask ran; the view's snapshot is at least as new. Equal
        # (id, content version) means the body is that version's, so it is kept under it.
        if environ.get(CACHEABLE) != (slug, *version[:2]) or not sent or not _keepable(*sent):
            return body
        data = _read_all(body)
        self.cache.put(key, CachedResponse(version, sent[0], list(sent[1]), data))
        return [data]


def init_response_cache(app: Flask) -> None:
    """Answer repeated public GETs before Flask; install it inside the request log."""
    size = app.config["MDCMS_RESPONSE_CACHE_SIZE"]
    if size <= 0:
        return
    versions = SiteVersions(app.extensions["mdcms.db"].engine)
    middleware = ResponseCacheMiddleware(app.wsgi_app, ResponseCache(size), versions)
    app.extensions["mdcms.response_cache"] = middleware
    app.wsgi_app = middleware  # type: ignore[method-assign]
