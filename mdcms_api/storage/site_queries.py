"""Read queries for sites: lookup by slug, their change versions, and what each holds."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, defer

from mdcms_api.storage.listing import Listing, Window, fetch_window
from mdcms_api.storage.models import Site
from mdcms_api.storage.page_queries import count_pages_by_site
from mdcms_api.storage.post_queries import count_posts_by_site
from mdcms_api.storage.term_queries import AUTHORS, KEYWORDS, count_terms_by_site


@dataclass(frozen=True)
class SiteCounts:
    """How many visible posts, pages, authors and keywords a site has."""

    posts: int = 0
    pages: int = 0
    authors: int = 0
    keywords: int = 0


def find_site(session: Session, slug: str) -> Site | None:
    """The site with ``slug``, without its (possibly large) config; None if there is none."""
    return session.scalar(select(Site).options(defer(Site.config)).where(Site.slug == slug))


def site_versions(session: Session) -> list[Row[Any]]:
    """(id, content_version, last_import_at) of every site: what a list of sites depends on."""
    statement = select(Site.id, Site.content_version, Site.last_import_at).order_by(Site.id)
    return list(session.execute(statement).all())


def list_sites(session: Session, window: Window) -> Listing[Site]:
    """A window of all sites, by slug."""
    rows = select(Site).options(defer(Site.config)).order_by(Site.slug)
    return fetch_window(session, rows, select(func.count(Site.id)), window)


def site_counts(
    session: Session, site_ids: Collection[int], *, include_drafts: bool
) -> dict[int, SiteCounts]:
    """Counts for each of ``site_ids``: four grouped queries, whatever the number of sites."""
    posts = count_posts_by_site(session, site_ids, include_drafts=include_drafts)
    pages = count_pages_by_site(session, site_ids, include_drafts=include_drafts)
    authors = count_terms_by_site(session, AUTHORS, site_ids, include_drafts=include_drafts)
    keywords = count_terms_by_site(session, KEYWORDS, site_ids, include_drafts=include_drafts)
    return {
        site_id: SiteCounts(
            posts=posts.get(site_id, 0),
            pages=pages.get(site_id, 0),
            authors=authors.get(site_id, 0),
            keywords=keywords.get(site_id, 0),
        )
        for site_id in site_ids
    }
