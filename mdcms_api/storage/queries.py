"""Read queries shared by the CLI and the API."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mdcms_api.storage.models import Asset, Author, Keyword, Page, Post, Site
from mdcms_api.storage.search import search_index_for


def site_overview(session: Session) -> list[tuple[str, str, int, int]]:
    """(slug, name, post count, page count) of every site, drafts included, by slug."""
    posts = select(func.count()).where(Post.site_id == Site.id).correlate(Site).scalar_subquery()
    pages = select(func.count()).where(Page.site_id == Site.id).correlate(Site).scalar_subquery()
    rows = session.execute(select(Site.slug, Site.name, posts, pages).order_by(Site.slug))
    return [tuple(row) for row in rows]


def remove_site(session: Session, slug: str) -> bool:
    """Delete a site with everything in it; False if there is no such site."""
    site_id = session.scalar(select(Site.id).where(Site.slug == slug))
    if site_id is None:
        return False
    # Children first, explicitly: no reliance on every connection having SQLite's foreign keys on.
    search_index_for(session).remove_site(session, site_id)
    for model in (Post, Page, Author, Keyword, Asset):
        session.execute(delete(model).where(model.site_id == site_id))
    session.execute(delete(Site).where(Site.id == site_id))
    return True
