"""Finding what a request names: the site (or 404), drafts or not, and its cache validators."""

from __future__ import annotations

from typing import NoReturn

from mdcms_api.api.caching import check_cache, mark_cacheable
from mdcms_api.api.db_session import read_session
from mdcms_api.api.errors import abort_problem
from mdcms_api.api.preview import preview_granted
from mdcms_api.api.site_context import SiteContext, set_current_site, zone_of
from mdcms_api.storage.site_queries import find_site, site_versions


def open_site(slug: str, *, preview: bool = False, variant: str = "") -> SiteContext:
    """The site ``slug`` for this request; answers 404, 401 or 304 itself.

    One small query finds the site; when the client's copy is current, that is all it costs.
    ``variant`` names the representation (a media type) when one URL has several.
    """
    include_drafts = preview_granted(preview)
    site = find_site(read_session(), slug)
    if site is None:
        abort_problem(404, f"There is no site '{slug}'.")
    context = SiteContext(site=site, zone=zone_of(site.timezone), preview=include_drafts)
    set_current_site(context)
    if not include_drafts:
        # Before check_cache, whose 304 may be kept too.
        mark_cacheable(site.slug, site.id, site.content_version)
    check_cache(
        site.id,
        site.content_version,
        # A site removed and imported again may get the same id and version (SQLite reuses ids).
        site.last_import_at,
        variant,
        last_modified=site.last_import_at,
        private=include_drafts,
    )
    return context


def open_all_sites(*, preview: bool = False) -> bool:
    """Validate a request about every site (answering 304 itself); whether drafts show."""
    include_drafts = preview_granted(preview)
    versions = site_versions(read_session())
    imports = [row.last_import_at for row in versions if row.last_import_at is not None]
    check_cache(
        *(f"{row.id}:{row.content_version}:{row.last_import_at}" for row in versions),
        last_modified=max(imports, default=None),
        private=include_drafts,
    )
    return include_drafts


def not_found(kind: str, slug: str) -> NoReturn:
    """Answer 404 for a missing (or hidden) post, page, author or keyword."""
    abort_problem(404, f"There is no {kind} '{slug}' in this site.")
