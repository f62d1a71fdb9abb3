"""Pages: a site's permanent pages in navigation order, and one page with its body."""

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
    PageListQuerySchema,
    PageListSchema,
    PageSchema,
    PreviewQuerySchema,
)
from mdcms_api.storage import page_queries
from mdcms_api.storage.models import Page

blp = Blueprint(
    "pages", __name__, url_prefix=f"{API_PREFIX}/sites/<slug:site>/pages", description="Pages."
)


@blp.route("")
@blp.doc(operationId="listPages")
@blp.arguments(PageListQuerySchema, location="query")
@blp.response(200, PageListSchema, headers=LIST_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def list_pages(args: dict[str, Any], site: str) -> tuple[dict[str, Any], dict[str, str]]:
    """List a site's pages in navigation order, or best match first with `q`."""
    context = open_site(site, preview=args["preview"])
    listing = page_queries.list_pages(
        read_session(),
        context.site.id,
        section=args.get("section"),
        window=window(args),
        include_drafts=context.preview,
        query=args.get("q"),
        sort=args["sort"],
    )
    return paginated(listing, args)


@blp.route("/<slug:slug>")
@blp.doc(operationId="getPage", responses=formats.ALTERNATIVE_RESPONSES)
@blp.arguments(PreviewQuerySchema, location="query")
@blp.response(200, PageSchema, headers=RESOURCE_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 406, 422, 500)
def get_page(args: dict[str, Any], site: str, slug: str) -> Page | Response:
    """Get a page with its HTML, markdown and table of contents."""
    media_type = formats.negotiate()
    context = open_site(site, preview=args["preview"], variant=media_type)
    page = page_queries.get_page(
        read_session(), context.site.id, slug, include_drafts=context.preview
    )
    if page is None:
        not_found("page", slug)
    return page if media_type == formats.JSON else formats.document_response(page, media_type)
