"""Posts: filtered, sorted lists of summaries, and one post with its body and neighbours."""

from __future__ import annotations

from typing import Any

from flask import Response

from mdcms_api.api import formats
from mdcms_api.api.blueprint import Blueprint
from mdcms_api.api.db_session import read_session
from mdcms_api.api.docs import API_PREFIX, LIST_HEADERS, RESOURCE_HEADERS
from mdcms_api.api.errors import alt_responses
from mdcms_api.api.lookup import not_found, open_site
from mdcms_api.api.pagination import paginated, window
from mdcms_api.api.schemas import (
    PostListQuerySchema,
    PostListSchema,
    PostSchema,
    PreviewQuerySchema,
    date_bound,
)
from mdcms_api.api.site_context import SiteContext
from mdcms_api.storage import post_queries
from mdcms_api.storage.models import Post
from mdcms_api.storage.post_queries import PostFilter

blp = Blueprint(
    "posts", __name__, url_prefix=f"{API_PREFIX}/sites/<slug:site>/posts", description="Posts."
)


def post_filter(args: dict[str, Any], context: SiteContext) -> PostFilter:
    """The filter the query parameters ask for; dates without an offset are in the site's zone."""
    start, end = args.get("created_from"), args.get("created_to")
    return PostFilter(
        authors=tuple(args["author"]),
        keywords=tuple(args["keyword"]),
        created_from=start and date_bound(start, context.zone),
        created_to=end and date_bound(end, context.zone, end_of_day=True),
        include_drafts=context.preview,
        query=args.get("q"),
    )


@blp.route("")
@blp.doc(operationId="listPosts")
@blp.arguments(PostListQuerySchema, location="query")
@blp.response(200, PostListSchema, headers=LIST_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def list_posts(args: dict[str, Any], site: str) -> tuple[dict[str, Any], dict[str, str]]:
    """List a site's posts, newest first (best match first with `q`), with authors and keywords."""
    context = open_site(site, preview=args["preview"])
    listing = post_queries.list_posts(
        read_session(),
        context.site.id,
        post_filter(args, context),
        sort=args["sort"],
        window=window(args),
        bodies=args["include"],
    )
    return paginated(listing, args)


@blp.route("/<slug:slug>")
@blp.doc(operationId="getPost", responses=formats.ALTERNATIVE_RESPONSES)
@blp.arguments(PreviewQuerySchema, location="query")
@blp.response(200, PostSchema, headers=RESOURCE_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 406, 422, 500)
def get_post(args: dict[str, Any], site: str, slug: str) -> Post | Response:
    """Get a post with its HTML, markdown, table of contents and neighbours."""
    media_type = formats.negotiate()
    context = open_site(site, preview=args["preview"], variant=media_type)
    session = read_session()
    post = post_queries.get_post(session, context.site.id, slug, include_drafts=context.preview)
    if post is None:
        not_found("post", slug)
    if media_type != formats.JSON:
        return formats.document_response(post, media_type)
    # Not mapped columns: the read-only session never writes them, the schema reads them.
    post.previous, post.next = post_queries.neighbours(
        session, post, include_drafts=context.preview
    )
    return post
