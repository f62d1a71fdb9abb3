"""The site search's read: one page of matching posts and pages, posts with their created time."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mdcms_api.storage.listing import Listing, Window
from mdcms_api.storage.models import Post
from mdcms_api.storage.search import Kind, Query, search


@dataclass(frozen=True)
class SiteSearchHit:
    """A matching post or page, as the search endpoint shows it."""

    kind: Kind
    slug: str
    title: str
    snippet: str  # HTML: matches in <mark>, the rest escaped text
    created: datetime | None  # a post's; None for a page


def search_site(
    session: Session,
    site_id: int,
    query: Query,
    *,
    kinds: Collection[Kind],
    include_drafts: bool,
    window: Window,
) -> Listing[SiteSearchHit]:
    """A window of the site's posts and pages matching ``query``, best first, and their total."""
    results = search(
        session,
        site_id,
        query,
        kinds=kinds,
        include_drafts=include_drafts,
        limit=window.limit,
        offset=window.offset,
    )
    post_ids = [hit.id for hit in results.hits if hit.kind == "post"]
    created = dict(
        session.execute(select(Post.id, Post.created).where(Post.id.in_(post_ids))).all()
        if post_ids
        else ()
    )
    items = [
        SiteSearchHit(
            hit.kind,
            hit.slug,
            hit.title,
            hit.snippet,
            created.get(hit.id) if hit.kind == "post" else None,
        )
        for hit in results.hits
    ]
    return Listing(items=items, total=results.total)
