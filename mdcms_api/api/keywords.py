"""Keywords: the tags of a site's published posts, with counts and the keywords beside each."""

from __future__ import annotations

from typing import Any

from flask import url_for

from mdcms_api.api.blueprint import Blueprint
from mdcms_api.api.db_session import read_session
from mdcms_api.api.docs import API_PREFIX, LIST_HEADERS, RESOURCE_HEADERS
from mdcms_api.api.errors import alt_responses
from mdcms_api.api.lookup import not_found, open_site
from mdcms_api.api.pagination import paginated, window
from mdcms_api.api.schemas import (
    RELATED_KEYWORDS_LIMIT,
    KeywordDetailSchema,
    KeywordListQuerySchema,
    KeywordListSchema,
    PreviewQuerySchema,
)
from mdcms_api.storage.term_queries import KEYWORDS, get_term, list_terms, related_keywords

blp = Blueprint(
    "keywords",
    __name__,
    url_prefix=f"{API_PREFIX}/sites/<slug:site>/keywords",
    description="Keywords.",
)


@blp.route("")
@blp.doc(operationId="listKeywords")
@blp.arguments(KeywordListQuerySchema, location="query")
@blp.response(200, KeywordListSchema, headers=LIST_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def list_keywords(args: dict[str, Any], site: str) -> tuple[dict[str, Any], dict[str, str]]:
    """List a site's keywords with their post counts, most used first or by name."""
    context = open_site(site, preview=args["preview"])
    listing = list_terms(
        read_session(),
        KEYWORDS,
        context.site.id,
        sort=args["sort"],
        window=window(args),
        include_drafts=context.preview,
    )
    return paginated(listing, args)


@blp.route("/<slug:slug>")
@blp.doc(operationId="getKeyword")
@blp.arguments(PreviewQuerySchema, location="query")
@blp.response(200, KeywordDetailSchema, headers=RESOURCE_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def get_keyword(args: dict[str, Any], site: str, slug: str) -> dict[str, Any]:
    """Get a keyword with its post count and the keywords most often beside it."""
    context = open_site(site, preview=args["preview"])
    session = read_session()
    keyword = get_term(session, KEYWORDS, context.site.id, slug, include_drafts=context.preview)
    if keyword is None:
        not_found("keyword", slug)
    related = related_keywords(
        session, keyword.id, include_drafts=context.preview, limit=RELATED_KEYWORDS_LIMIT
    )
    posts_url = url_for("posts.list_posts", site=site, keyword=slug, _external=True)
    return {**keyword._asdict(), "posts_url": posts_url, "related": related}
