"""Searching one site: ranked matches to join with other filters, snippets, and result pages."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, and_, func, select
from sqlalchemy.orm import Session

from mdcms_api.storage.models import Page, Post
from mdcms_api.storage.search.backends import search_index_for
from mdcms_api.storage.search.base import KINDS, Kind
from mdcms_api.storage.search.query import Query


@dataclass(frozen=True)
class SearchHit:
    """One matching post or page."""

    kind: Kind
    id: int
    slug: str
    title: str
    snippet: str  # HTML: matches in <mark>, the rest escaped text
    rank: float  # higher is more relevant; comparable within one query only


@dataclass(frozen=True)
class SearchResults:
    """One page of hits, best first, and how many there are in all."""

    hits: list[SearchHit]
    total: int


def ranked_matches(
    session: Session, site_id: int, query: Query, kinds: Collection[Kind] = KINDS
) -> Subquery:
    """A subquery of (``kind``, ``doc_id``, ``rank``) for every document of the site matching.

    Drafts match too: join it with ``Post.id``/``Page.id`` and apply the caller's own filters.
    """
    return search_index_for(session).matches(site_id, query, kinds).subquery("search_matches")


def snippets(
    session: Session, query: Query, keys: Collection[tuple[Kind, int]]
) -> dict[tuple[Kind, int], str]:
    """The snippet of each (kind, id) in ``keys``; call it for one page of results only."""
    return search_index_for(session).snippets(session, query, keys)


def attach_snippets(session: Session, query: Query, kind: Kind, documents: Sequence[Any]) -> None:
    """Give each of one page of ``documents`` (posts or pages) its ``snippet`` attribute."""
    marked = snippets(session, query, [(kind, document.id) for document in documents])
    for document in documents:
        # Not a mapped column: the read-only session never writes it, the schema reads it.
        document.snippet = marked.get((kind, document.id), "")


def search(
    session: Session,
    site_id: int,
    query: Query,
    *,
    kinds: Collection[Kind] = KINDS,
    include_drafts: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Posts and pages of a site matching ``query``, most relevant first, with snippets."""
    matches = ranked_matches(session, site_id, query, kinds)
    slug = func.coalesce(Post.slug, Page.slug)
    statement = (
        select(
            matches.c.kind,
            matches.c.doc_id,
            slug,
            func.coalesce(Post.title, Page.title),
            matches.c.rank,
        )
        .select_from(matches)
        .outerjoin(Post, and_(matches.c.kind == "post", Post.id == matches.c.doc_id))
        .outerjoin(Page, and_(matches.c.kind == "page", Page.id == matches.c.doc_id))
        .where(slug.is_not(None))
    )
    if not include_drafts:
        statement = statement.where(func.coalesce(Post.draft, Page.draft).is_(False))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(
        statement.order_by(matches.c.rank.desc(), matches.c.kind, matches.c.doc_id)
        .limit(limit)
        .offset(offset)
    ).all()
    marked = snippets(session, query, [(kind, doc_id) for kind, doc_id, *_ in rows])
    hits = [
        SearchHit(kind, doc_id, slug, title, marked.get((kind, doc_id), ""), rank)
        for kind, doc_id, slug, title, rank in rows
    ]
    return SearchResults(hits, total)
