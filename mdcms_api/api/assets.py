"""Assets: the files of a site's assets/ folder, served from the database with safe headers."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, current_app, request, send_file

from mdcms_api.api.blueprint import Blueprint
from mdcms_api.api.db_session import read_session
from mdcms_api.api.docs import API_PREFIX
from mdcms_api.api.errors import abort_problem, alt_responses
from mdcms_api.storage.asset_queries import find_asset
from mdcms_api.storage.models import Asset

# Applies when a file is opened as a page (an SVG or HTML file can carry script); an <img> or a
# download ignores it. Styles stay for SVG drawings that use them.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
# Shown in the browser; anything else (HTML, scripts, PDFs, archives) is downloaded.
INLINE_MAJOR_TYPES = {"image", "audio", "video"}
INLINE_TYPES = {"text/plain"}
MAX_PATH_LENGTH = 1024

ASSET_HEADERS: dict[str, Any] = {
    "ETag": {"description": "The file's SHA-256.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "`public, max-age=N`.", "schema": {"type": "string"}},
    "Content-Disposition": {
        "description": "`inline` for images, audio, video and plain text, else `attachment`.",
        "schema": {"type": "string"},
    },
    "Content-Security-Policy": {"description": SANDBOX, "schema": {"type": "string"}},
    "X-Content-Type-Options": {"description": "`nosniff`.", "schema": {"type": "string"}},
}
_BINARY = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
BINARY_RESPONSES: dict[str, Any] = {
    200: {"content": _BINARY},
    206: {"description": "The byte range a `Range` header asked for.", "content": _BINARY},
}

blp = Blueprint(
    "assets",
    __name__,
    url_prefix=f"{API_PREFIX}/sites/<slug:site>/assets",
    description="Files from a site's assets/ folder.",
)


def stored_path(path: str) -> str | None:
    """``path`` as the importer stores it (relative to assets/, posix), or None if it cannot be.

    Lookups are by exact path, so nothing outside assets/ can be named; these forms are refused
    before any query all the same.
    """
    if len(path) > MAX_PATH_LENGTH or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in path.split("/")):
        return None
    return path


def _is_inline(content_type: str) -> bool:
    return content_type.split("/", 1)[0] in INLINE_MAJOR_TYPES or content_type in INLINE_TYPES


def _not_modified(asset: Asset, max_age: int) -> Response:
    response = Response(status=304)
    response.set_etag(asset.sha256)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response


def asset_response(asset: Asset) -> Response:
    """The file with its validators; a 304 (without reading the bytes) or a range as asked."""
    max_age = current_app.config["MDCMS_ASSET_MAX_AGE"]
    if request.if_none_match.contains_weak(asset.sha256):
        return _not_modified(asset, max_age)
    response = send_file(
        io.BytesIO(asset.data),
        mimetype=asset.content_type,
        as_attachment=not _is_inline(asset.content_type),
        download_name=asset.path.rsplit("/", 1)[-1],
        etag=asset.sha256,
        last_modified=asset.imported_at,
        max_age=max_age,
    )
    # As imported: no charset is added to text, the file's encoding is not known.
    response.headers["Content-Type"] = asset.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX
    return response


# Unmerged: "a//b" is refused like any path the importer cannot have stored, never redirected.
@blp.route("/<path:path>", merge_slashes=False)
@blp.doc(operationId="getAsset", responses=BINARY_RESPONSES)
@blp.response(200, description="The file as it was imported.", headers=ASSET_HEADERS)
@alt_responses(blp, 304, 404, 416, 500)
def get_asset(site: str, path: str) -> Response:
    """Get a file from the site's assets/ folder; query parameters are ignored."""
    name = stored_path(path)
    asset = find_asset(read_session(), site, name) if name is not None else None
    if asset is None:
        abort_problem(404, f"There is no asset '{path}' in site '{site}'.")
    return asset_response(asset)
