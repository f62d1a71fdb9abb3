"""gzip and brotli for text responses, an ETag of its own for each encoding (flask-compress)."""

from __future__ import annotations

from flask import Flask, Response
from flask_compress import Compress

COMPRESSED_TYPES = [
    "application/json",
    "application/problem+json",
    "text/html",
    "text/markdown",
    "text/plain",
]
SETTINGS = {
    "COMPRESS_MIMETYPES": COMPRESSED_TYPES,
    # Two encodings only: every extra one is another variant a CDN must cache per URL.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 6,
    # Below about a packet the headers cost more than the saving.
    "COMPRESS_MIN_SIZE": 500,
    # Streamed bodies are files (assets): sent as they are, with their ranges and validators.
    "COMPRESS_STREAMS": False,
    # A strong ETag "x" becomes "x:gzip" or "x:br", and If-None-Match is checked again against
    # that form, so a cache revalidating a compressed copy gets its 304. The identity form is
    # answered by the view itself, before compression.
    "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": True,
    # Registered by hand below.
    "COMPRESS_REGISTER": False,
}


_GZIP_MAGIC = b"\x1f\x8b"


def _without_gzip_timestamp(response: Response) -> Response:
    """Zero the gzip header's MTIME, which gzip sets to the current second (RFC 1952).

    The same body under the same strong ETag must be the same bytes, whenever it was made; an
    MTIME of 0 means "no time stamp", and the checksum covers only the data.
    """
    if response.headers.get("Content-Encoding") != "gzip" or response.is_streamed:
        return response
    data = response.get_data()
    if data[:2] == _GZIP_MAGIC:
        response.set_data(data[:4] + bytes(4) + data[8:])
    return response


def init_compression(app: Flask) -> None:
    """Compress JSON, HTML and markdown responses by the request's Accept-Encoding."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    compress = Compress(app)
    # Flask runs after_request hooks in reverse order of registration. Compression must see the
    # final body and ETag, whatever hooks the API registered (CORS, caching headers, ETags), so
    # it goes first in the list: it runs last.
    hooks = app.after_request_funcs.setdefault(None, [])
    hooks.insert(0, compress.after_request)
    hooks.insert(0, _without_gzip_timestamp)  # runs after compression
