"""OpenAPI document settings and the response headers every operation documents."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from flask import Flask

API_PREFIX = "/api/v1"

DESCRIPTION = (
    "Markdown sites served as JSON. Every list answers `{items, pagination}` with a `Link` "
    "header; every error is `application/problem+json`; every GET has a strong `ETag`."
)

HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "Strong validator; send it back in `If-None-Match` for a 304.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the site was last imported.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`public, max-age=N`; `private, no-store` in preview.",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": "RFC 8288 links to the first, prev, next and last pages.",
        "schema": {"type": "string"},
    },
}
RESOURCE_HEADERS = {name: name for name in ("ETag", "Last-Modified", "Cache-Control")}
LIST_HEADERS = {**RESOURCE_HEADERS, "Link": "Link"}


def configure(app: Flask) -> None:
    """flask-smorest's settings: OpenAPI 3.1 at /api/v1/openapi.json, Swagger UI at /api/v1/docs."""
    settings = {
        "API_TITLE": "mdcms-api",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": app.config["MDCMS_SWAGGER_UI_URL"],
        "API_SPEC_OPTIONS": {"info": {"description": DESCRIPTION}},
    }
    for key, value in settings.items():
        app.config.setdefault(key, value)


def register_components(spec: APISpec) -> None:
    """Add the shared response headers to the document's components."""
    for name, header in HEADERS.items():
        spec.components.header(name, header)
