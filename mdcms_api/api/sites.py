"""Sites: every imported site, and one, with what each holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mdcms_api.api.blueprint import Blueprint
from mdcms_api.api.db_session import read_session
from mdcms_api.api.docs import API_PREFIX, LIST_HEADERS, RESOURCE_HEADERS
from mdcms_api.api.errors import alt_responses
from mdcms_api.api.lookup import open_all_sites, open_site
from mdcms_api.api.pagination import paginated, window
from mdcms_api.api.schemas import PageQuerySchema, PreviewQuerySchema, SiteListSchema, SiteSchema
from mdcms_api.api.site_context import zone_of
from mdcms_api.storage import site_queries
from mdcms_api.storage.models import Site
from mdcms_api.storage.site_queries import SiteCounts

blp = Blueprint("sites", __name__, url_prefix=f"{API_PREFIX}/sites", description="Sites.")


def _site_document(site: Site, counts: SiteCounts) -> dict[str, Any]:
    last_import = site.last_import_at
    return {
        "slug": site.slug,
        "name": site.name,
        "description": site.description,
        "language": site.language,
        "timezone": site.timezone,
        "post_count": counts.posts,
        "page_count": counts.pages,
        "author_count": counts.authors,
        "keyword_count": counts.keywords,
        "last_import": last_import and last_import.astimezone(zone_of(site.timezone)),
    }


def _documents(sites: Sequence[Site], include_drafts: bool) -> list[dict[str, Any]]:
    ids = [site.id for site in sites]
    counts = site_queries.site_counts(read_session(), ids, include_drafts=include_drafts)
    return [_site_document(site, counts[site.id]) for site in sites]


@blp.route("")
@blp.doc(operationId="listSites")
@blp.arguments(PageQuerySchema, location="query")
@blp.response(200, SiteListSchema, headers=LIST_HEADERS)
@alt_responses(blp, 304, 400, 401, 500)
def list_sites(args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """List the sites, by slug."""
    include_drafts = open_all_sites(preview=args["preview"])
    listing = site_queries.list_sites(read_session(), window(args))
    return paginated(listing, args, _documents(listing.items, include_drafts))


@blp.route("/<slug:site>")
@blp.doc(operationId="getSite")
@blp.arguments(PreviewQuerySchema, location="query")
@blp.response(200, SiteSchema, headers=RESOURCE_HEADERS)
@alt_responses(blp, 304, 400, 401, 404, 500)
def get_site(args: dict[str, Any], site: str) -> dict[str, Any]:
    """Get a site with its post, page, author and keyword counts."""
    context = open_site(site, preview=args["preview"])
    return _documents([context.site], context.preview)[0]
