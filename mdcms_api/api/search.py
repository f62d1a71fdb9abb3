"""Search: a site's posts and pages matching a full-text query, best first, with snippets."""

from __future__ import annotations

from typing import Any

from mdcms_api.api.blueprint import Blueprint
from mdcms_api.api.db_session import read_session
from mdcms_api.api.docs import API_PREFIX, LIST_HEADERS
from mdcms_api.api.errors import alt_responses
from mdcms_api.api.lookup import open_site
from mdcms_api.api.pagination import paginated, window
from mdcms_api.api.schemas import SearchQuerySchema, SearchResultsSchema
from mdcms_api.storage.search import KINDS
from mdcms_api.storage.site_search import search_site

blp = Blueprint(
    "search", __name__, url_prefix=f"{API_PREFIX}/sites/<slug:site>/search", description="Search."
)


@blp.route("")
@blp.doc(operationId="searchSite")
@blp.arguments(SearchQuerySchema, location="query")
@blp.response(200, SearchResultsSchema, headers=LIST_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 422, 500)
def search(args: dict[str, Any], site: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Search a site's posts and pages, best match first, each with a highlighted snippet."""
    context = open_site(site, preview=args["preview"])
    listing = search_site(
        read_session(),
        context.site.id,
        args["q"],
        kinds=args["kind"] or KINDS,
        include_drafts=context.preview,
        window=window(args),
    )
    return paginated(listing, args)
