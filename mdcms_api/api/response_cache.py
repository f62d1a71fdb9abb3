"""A per-process cache of finished public responses, keyed by the site's content version.

A site's responses change only when an import bumps its content version, so a worker that has
built a response once can send the same bytes again after one tiny query, skipping argument
parsing, the view's queries and serialization. Workers stay stateless: the version is read from
the database on every request, so an import on any host invalidates every worker's copies.
Override points: ``MDCMS_RESPONSE_CACHE_SIZE`` (entries per worker; 0 turns the cache off).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from threading import Lock
from typing import Any

from flask import Flask, Response, current_app, g, request
from sqlalchemy import select

from mdcms_api.api.caching import Validators, apply_validators, current_etag, normalised_query
from mdcms_api.api.docs import API_PREFIX
from mdcms_api.storage.models import Site

SITES_PREFIX = f"{API_PREFIX}/sites/"
MAX_BODY_BYTES = 512 * 1024  # bigger bodies are rare and would crowd out the list pages
# Headers our own hooks set again on every response, cached or not.
_REAPPLIED = frozenset({"content-length", "etag", "cache-control", "last-modified", "set-cookie"})

Key = tuple[Any, ...]


@dataclass(frozen=True)
class CachedResponse:
    """A finished 200 response: its body, its own headers and its validators."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    validators: Validators


@dataclass(frozen=True)
class SiteVersion:
    """What every response about one site depends on."""

    site_id: int
    content_version: int
    last_import_at: datetime | None


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


def _site_slug() -> str | None:
    """The site a cacheable request is about; None for requests the cache leaves alone."""
    if request.method not in ("GET", "HEAD") or not request.path.startswith(SITES_PREFIX):
        return None
    # Preview responses are private; an Authorization header means someone may be asking for one.
    if "preview" in request.args or "Authorization" in request.headers:
        return None
    slug, _, rest = request.path[len(SITES_PREFIX) :].partition("/")
    if not slug or rest.startswith("assets/"):  # assets have ETags and a cache of their own
        return None
    return slug


def _key(version: SiteVersion) -> Key:
    # The Accept header picks the representation of posts and pages (JSON, HTML, markdown).
    return (
        request.host_url,
        request.path,
        normalised_query(),
        request.headers.get("Accept", ""),
        version.site_id,
        version.content_version,
    )


def _read_version(slug: str) -> SiteVersion | None:
    statement = select(Site.id, Site.content_version, Site.last_import_at).where(Site.slug == slug)
    with current_app.extensions["mdcms.db"].engine.connect() as connection:
        row = connection.execute(statement).first()
    return None if row is None else SiteVersion(*row)


def remember_site_version(version: SiteVersion) -> None:
    """Called by the view's site lookup: its response may be cached under this version."""
    g.mdcms_cacheable_version = version


def _serve_from_cache() -> Response | None:
    cache: ResponseCache = current_app.extensions["mdcms.response_cache"]
    slug = _site_slug()
    version = _read_version(slug) if slug else None
    entry = cache.get(_key(version)) if version else None
    if entry is None:
        return None
    g.mdcms_validators = entry.validators
    held = current_etag(entry.validators)
    if held is not None:
        # A 304 names what the representation varies on, as the full response does.
        vary = [(name, value) for name, value in entry.headers if name.lower() == "vary"]
        not_modified = Response(status=304, headers=vary)
        return apply_validators(not_modified, replace(entry.validators, etag=held))
    g.mdcms_served_from_cache = True
    return Response(entry.body, headers=list(entry.headers))


def _store(response: Response) -> Response:
    version = g.get("mdcms_cacheable_version")
    validators = g.get("mdcms_validators")
    if (
        version is None
        or validators is None
        or validators.private
        or g.get("mdcms_served_from_cache")
        or response.status_code != 200
        or response.direct_passthrough
        or _site_slug() is None
    ):
        return response
    body = response.get_data()
    if len(body) <= MAX_BODY_BYTES:
        headers = tuple((k, v) for k, v in response.headers if k.lower() not in _REAPPLIED)
        current_app.extensions["mdcms.response_cache"].put(
            _key(version), CachedResponse(body, headers, validators)
        )
    return response


def init_app(app: Flask) -> None:
    """Serve repeated public GETs from memory; register after the other API hooks."""
    size = app.config["MDCMS_RESPONSE_CACHE_SIZE"]
    if size <= 0:
        return
    app.extensions["mdcms.response_cache"] = ResponseCache(size)
    app.before_request(_serve_from_cache)
    # Registered last, so it runs first among the after-request hooks: it keeps the body as
    # the view made it, before CORS and compression, which apply to cached copies anew.
    app.after_request(_store)
