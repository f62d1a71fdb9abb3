"""Read queries for pages: a site's pages in navigation order, and one page."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.orm import Session, load_only

from mdcms_api.storage.listing import RELEVANCE, Listing, Window, fetch_window
from mdcms_api.storage.models import Page
from mdcms_api.storage.ordering import by_codepoint, by_title
from mdcms_api.storage.search import Query, attach_snippets, ranked_matches

NAVIGATION = "navigation"
PAGE_SORTS = (NAVIGATION, RELEVANCE)

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
    session: Session,
    site_id: int,
    *,
    section: str | None,
    window: Window,
    include_drafts: bool,
    query: Query | None = None,
    sort: str = NAVIGATION,
) -> Listing[Page]:
    """A window of a site's pages, in navigation order or, when searched, by relevance.

    Navigation order: pages outside any section first, then by section, sort, title. With a
    search query only matching pages are listed, each with a ``snippet`` attribute (HTML).
    """
    conditions = [Page.site_id == site_id, *_visible(include_drafts)]
    if section is not None:
        conditions.append(Page.section_id == section)
    order = [
        by_codepoint(Page.section_id).asc().nulls_first(),
        Page.sort,
        by_title(Page.title),
        by_codepoint(Page.slug),
    ]
    rows: Select[Any] = select(Page).options(load_only(*SUMMARY_COLUMNS))
    count: Select[Any] = select(func.count(Page.id)).select_from(Page)
    if query is not None:
        matches = ranked_matches(session, site_id, query, kinds=("page",))
        rows = rows.join(matches, matches.c.doc_id == Page.id)
        count = count.join(matches, matches.c.doc_id == Page.id)
        if sort == RELEVANCE:
            order = [matches.c.rank.desc(), by_codepoint(Page.slug)]
    elif sort == RELEVANCE:
        raise ValueError("sorting by relevance needs a search query")
    rows = rows.where(*conditions).order_by(*order)
    listing = fetch_window(session, rows, count.where(*conditions), window)
    if query is not None:
        attach_snippets(session, query, "page", listing.items)
    return listing


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
