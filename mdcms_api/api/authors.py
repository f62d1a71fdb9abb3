"""Authors: who wrote a site's published posts, with how many and the latest."""

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
    AuthorDetailSchema,
    AuthorListQuerySchema,
    AuthorListSchema,
    PreviewQuerySchema,
)
from mdcms_api.storage.term_queries import AUTHORS, get_term, list_terms

blp = Blueprint(
    "authors",
    __name__,
    url_prefix=f"{API_PREFIX}/sites/<slug:site>/authors",
    description="Authors.",
)


@blp.route("")
@blp.doc(operationId="listAuthors")
@blp.arguments(AuthorListQuerySchema, location="query")
@blp.response(200, AuthorListSchema, headers=LIST_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def list_authors(args: dict[str, Any], site: str) -> tuple[dict[str, Any], dict[str, str]]:
    """List a site's authors with their post counts, by name or by `-post_count`."""
    context = open_site(site, preview=args["preview"])
    listing = list_terms(
        read_session(),
        AUTHORS,
        context.site.id,
        sort=args["sort"],
        window=window(args),
        include_drafts=context.preview,
    )
    return paginated(listing, args)


@blp.route("/<slug:slug>")
@blp.doc(operationId="getAuthor")
@blp.arguments(PreviewQuerySchema, location="query")
@blp.response(200, AuthorDetailSchema, headers=RESOURCE_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def get_author(args: dict[str, Any], site: str, slug: str) -> dict[str, Any]:
    """Get an author with their post count and the link to their posts."""
    context = open_site(site, preview=args["preview"])
    author = get_term(
        read_session(), AUTHORS, context.site.id, slug, include_drafts=context.preview
    )
    if author is None:
        not_found("author", slug)
    posts_url = url_for("posts.list_posts", site=site, author=slug, _external=True)
    return {**author._asdict(), "posts_url": posts_url}
