"""A post or page as JSON, its HTML fragment or its markdown, by the request's Accept header."""

from __future__ import annotations

from typing import Any

from flask import Response, after_this_request, request

from mdcms_api.api.errors import abort_problem
from mdcms_api.storage.models import Page, Post

JSON = "application/json"
HTML = "text/html"
MARKDOWN = "text/markdown"
# The formats besides JSON, in the order that breaks a tie.
ALTERNATIVES = (HTML, MARKDOWN)

# The 200 response's other media types, for `blp.doc(responses=...)`.
ALTERNATIVE_RESPONSES: dict[str, Any] = {
    200: {
        "description": (
            "The document as JSON (the default), or with `Accept: text/html` its sanitized HTML "
            "fragment, or with `Accept: text/markdown` its markdown body as written. Each has "
            "its own ETag; the response varies by `Accept`."
        ),
        "content": {
            HTML: {"schema": {"type": "string"}},
            MARKDOWN: {"schema": {"type": "string"}},
        },
    }
}


def _accept_entries() -> dict[str, float]:
    """Accept as {media type without parameters: quality}; the first entry of a type counts."""
    entries: dict[str, float] = {}
    for value, quality in request.accept_mimetypes:
        entries.setdefault(value.split(";", 1)[0].strip().lower(), quality)
    return entries


def _quality(entries: dict[str, float], media_type: str) -> float:
    """The quality of ``media_type``: from its own entry, else ``type/*``, else ``*/*``."""
    major = media_type.split("/", 1)[0]
    for key in (media_type, f"{major}/*", "*/*"):
        if key in entries:
            return entries[key]
    return 0.0


def _vary_on_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def negotiate() -> str:
    """The media type to answer with; a 406 when the client accepts none of ours.

    JSON whenever it is acceptable, unless `application/json` itself is named with a lower
    quality than HTML or markdown: a browser's `text/html,...,*/*;q=0.8` gets JSON like every
    other endpoint does, and a cache that ignores Vary is not filled with HTML by a passing
    browser. A client that wants HTML or markdown names it without offering JSON.
    """
    # Every answer of these URLs depends on Accept: the 304s and the problems too.
    after_this_request(_vary_on_accept)
    if not request.accept_mimetypes:
        return JSON
    entries = _accept_entries()
    best = max(ALTERNATIVES, key=lambda media_type: _quality(entries, media_type))
    json = _quality(entries, JSON)
    if json > 0 and not (JSON in entries and _quality(entries, best) > json):
        return JSON
    if _quality(entries, best) > 0:
        return best
    abort_problem(
        406, f"This document is served as {JSON}, {HTML} or {MARKDOWN}; Accept allows none of them."
    )


def document_response(document: Post | Page, media_type: str) -> Response:
    """The HTML fragment or the markdown body of ``document``, as UTF-8 text."""
    body = document.html if media_type == HTML else document.markdown
    return Response(body, mimetype=media_type)
