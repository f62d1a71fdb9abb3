"""The HTTP API: flask-smorest blueprints under /api/v1."""

from __future__ import annotations

from flask import Flask

from mdcms_api.api import (
    assets,
    authors,
    caching,
    cors,
    db_session,
    docs,
    health,
    keywords,
    pages,
    posts,
    search,
    sites,
)
from mdcms_api.api.blueprint import SlugConverter
from mdcms_api.api.errors import ProblemApi
from mdcms_api.api.schemas import MAX_SLUG_LENGTH

RESOURCES = (sites, posts, authors, keywords, pages, search, assets, health)


def init_api(app: Flask) -> ProblemApi:
    """Register the API's blueprints, error handlers, caching and CORS on ``app``."""
    docs.configure(app)
    app.url_map.converters["slug"] = SlugConverter
    api = ProblemApi(app)
    api.register_converter(
        SlugConverter, lambda _: {"type": "string", "maxLength": MAX_SLUG_LENGTH}
    )
    docs.register_components(api.spec)
    for resource in RESOURCES:
        api.register_blueprint(resource.blp)
    # Load balancers probe /healthz; the documented path is /api/v1/healthz.
    app.add_url_rule("/healthz", "healthz", app.view_functions["health.healthz"])
    db_session.init_app(app)
    caching.init_app(app)
    cors.init_app(app)
    return api
