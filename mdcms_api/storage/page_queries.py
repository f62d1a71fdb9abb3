"""Read queries for pages: a site's pages in navigation order, and one page."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session, load_only

from mdcms_api.storage.listing import Listing, Window, fetch_window
from mdcms_api.storage.models import Page
from mdcms_api.storage.ordering import by_codepoint, by_title

SUMMARY_COLUMNS = (
    Page.slug,
    Page.title,
    Page.description,
    Page.draft,
    Page.language,
    Page.created,
    Page.modified,
    Page.extra,
    Page.excerpt,
    Page.word_count,
    Page.reading_time_minutes,
    Page.section_id,
    Page.sort,
)


def _visible(include_drafts: bool) -> list[ColumnElement[bool]]:
    return [] if include_drafts else [Page.draft == false()]


def list_pages(
    session: Session, site_id: int, *, section: str | None, window: Window, include_drafts: bool
) -> Listing[Page]:
    """A window of a site's pages: pages outside any section first, then by section, sort, title."""
    conditions = [Page.site_id == site_id, *_visible(include_drafts)]
    if section is not None:
        conditions.append(Page.section_id == section)
    order = [
        by_codepoint(Page.section_id).asc().nulls_first(),
        Page.sort,
        by_title(Page.title),
        by_codepoint(Page.slug),
    ]
    rows = select(Page).options(load_only(*SUMMARY_COLUMNS)).where(*conditions).order_by(*order)
    count = select(func.count(Page.id)).where(*conditions)
    return fetch_window(session, rows, count, window)


def get_page(session: Session, site_id: int, slug: str, *, include_drafts: bool) -> Page | None:
    """One page by slug; None when there is none (or it is a draft and drafts are hidden)."""
    statement = select(Page).where(
        Page.site_id == site_id, Page.slug == slug, *_visible(include_drafts)
    )
    return session.scalar(statement)


def count_pages_by_site(
    session: Session, site_ids: Collection[int], *, include_drafts: bool
) -> dict[int, int]:
    """Per site: how many visible pages it has."""
    statement = (
        select(Page.site_id, func.count(Page.id))
        .where(Page.site_id.in_(site_ids), *_visible(include_drafts))
        .group_by(Page.site_id)
    )
    return {site_id: count for site_id, count in session.execute(statement).all()}
