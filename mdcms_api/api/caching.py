"""HTTP caching: strong ETags from content versions, 304s, Last-Modified and Cache-Control."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, Response, abort, current_app, g, request

# Bump when the JSON of any response changes shape, so that cached copies stop validating.
RESPONSE_FORMAT = "1"
PRIVATE = "private, no-store"
# mdcms_api/serving/compression.py sends a compressed body under "<etag>:gzip" or "<etag>:br";
# a cache revalidating such a copy must get its 304 here too, before any query runs.
ENCODED_ETAG_SUFFIXES = ("", ":gzip", ":br")
# Where a public response names the site version it was built from, in the WSGI environ:
# mdcms_api/serving/response_cache.py keeps such responses and answers repeats itself.
CACHEABLE = "mdcms.cacheable"


@dataclass(frozen=True)
class Validators:
    """What a response is checked against: its ETag, its Last-Modified, who may cache it."""

    etag: str
    last_modified: datetime | None
    private: bool


def normalised_query() -> str:
    """The query string with its parameters sorted."""
    # The same parameters in another order are the same request.
    return urlencode(sorted(request.args.items(multi=True)))


def mark_cacheable(slug: str, site_id: int, content_version: int) -> None:
    """Let the response cache keep this request's answer (never call it for a preview)."""
    request.environ[CACHEABLE] = (slug, site_id, content_version)


def _etag(*versions: object, private: bool) -> str:
    key = "\n".join(
        [
            RESPONSE_FORMAT,
            request.host_url,  # bodies carry absolute URLs
            request.path,
            normalised_query(),
            "preview" if private else "public",
            *map(str, versions),
        ]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _cache_control() -> str:
    return f"public, max-age={current_app.config['MDCMS_CACHE_MAX_AGE']}"


def apply_validators(response: Response, validators: Validators) -> Response:
    """Set ETag, Last-Modified and Cache-Control on ``response``."""
    response.set_etag(validators.etag)
    if validators.last_modified is not None:
        response.last_modified = validators.last_modified
    response.headers["Cache-Control"] = PRIVATE if validators.private else _cache_control()
    return response


def current_etag(validators: Validators) -> str | None:
    """The form of the ETag the client holds, if it is current; None when it must get a body."""
    if request.if_none_match:
        for suffix in ENCODED_ETAG_SUFFIXES:
            # Weak comparison, as HTTP asks for If-None-Match: a proxy that compresses a copy
            # itself sends back W/"<etag>".
            if request.if_none_match.contains_weak(validators.etag + suffix):
                return validators.etag + suffix
        return None
    since = request.if_modified_since
    last = validators.last_modified
    # HTTP dates have whole seconds only.
    if since is not None and last is not None and last.replace(microsecond=0) <= since:
        return validators.etag
    return None


def check_cache(*versions: object, last_modified: datetime | None, private: bool) -> None:
    """Set the response's validators from what it depends on; answer 304 when the client is current.

    ``versions`` are what the body depends on besides the URL (a site's id and content version):
    the ETag costs no query beyond the one that found them.
    """
    validators = Validators(_etag(*versions, private=private), last_modified, private)
    g.mdcms_validators = validators
    held = current_etag(validators) if request.method in ("GET", "HEAD") else None
    if held is not None:
        abort(apply_validators(Response(status=304), replace(validators, etag=held)))


def _add_validators(response: Response) -> Response:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    validators = g.get("mdcms_validators")
    if validators is not None:
        return apply_validators(response, validators)
    # Responses without a content version (the OpenAPI document, the docs, the health check)
    # get an ETag from their body.
    response.add_etag()
    response.headers.setdefault("Cache-Control", _cache_control())
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Add caching headers to every successful GET."""
    app.after_request(_add_validators)
