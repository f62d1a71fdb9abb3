"""Read queries for authors and keywords: each with the number of posts and the latest one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Table, func, select
from sqlalchemy.orm import Session

from mdcms_api.storage.listing import Listing, Window, fetch_window
from mdcms_api.storage.models import Author, Keyword, Post, post_authors, post_keywords
from mdcms_api.storage.ordering import by_codepoint, by_title
from mdcms_api.storage.post_queries import visible

TERM_SORTS = ("name", "-post_count")


@dataclass(frozen=True)
class TermKind:
    """Authors or keywords: the model and the table that links it to posts."""

    model: type[Author] | type[Keyword]
    links: Table
    link_column: ColumnElement[int]


AUTHORS = TermKind(Author, post_authors, post_authors.c.author_id)
KEYWORDS = TermKind(Keyword, post_keywords, post_keywords.c.keyword_id)


def _with_stats(kind: TermKind, site_id: int, include_drafts: bool) -> Select[Any]:
    """Terms of the site that have a visible post: (id, slug, name, post_count, latest_post).

    The inner joins drop a term whose every post is hidden, so it is neither listed nor found.
    """
    model = kind.model
    return (
        select(
            model.id,
            model.slug,
            model.name,
            func.count(Post.id).label("post_count"),
            func.max(Post.created).label("latest_post"),
        )
        .join(kind.links, kind.link_column == model.id)
        .join(Post, Post.id == kind.links.c.post_id)
        .where(model.site_id == site_id, *visible(include_drafts))
        .group_by(model.id, model.slug, model.name)
    )


def _order(kind: TermKind, sort: str) -> list[Any]:
    name = [by_title(kind.model.name), by_codepoint(kind.model.slug)]
    if sort == "-post_count":
        return [func.count(Post.id).desc(), *name]
    return name


def list_terms(
    session: Session,
    kind: TermKind,
    site_id: int,
    *,
    sort: str,
    window: Window,
    include_drafts: bool,
) -> Listing[Row[Any]]:
    """A window of authors or keywords: rows (id, slug, name, post_count, latest_post)."""
    rows = _with_stats(kind, site_id, include_drafts).order_by(*_order(kind, sort))
    count = (
        select(func.count(func.distinct(kind.link_column)))
        .join(Post, Post.id == kind.links.c.post_id)
        .where(Post.site_id == site_id, *visible(include_drafts))
    )
    return fetch_window(session, rows, count, window, scalars=False)


def get_term(
    session: Session, kind: TermKind, site_id: int, slug: str, *, include_drafts: bool
) -> Row[Any] | None:
    """One author or keyword as a ``list_terms`` row; None without a visible post."""
    statement = _with_stats(kind, site_id, include_drafts).where(kind.model.slug == slug)
    return session.execute(statement).first()


def related_keywords(
    session: Session, keyword_id: int, *, include_drafts: bool, limit: int
) -> list[Row[Any]]:
    """Keywords most often on the same posts as ``keyword_id``: (slug, name, shared_post_count)."""
    beside = post_keywords.alias("beside")
    shared = func.count(Post.id)
    statement = (
        select(Keyword.slug, Keyword.name, shared.label("shared_post_count"))
        .select_from(post_keywords)
        .join(Post, Post.id == post_keywords.c.post_id)
        .join(beside, beside.c.post_id == post_keywords.c.post_id)
        .join(Keyword, Keyword.id == beside.c.keyword_id)
        .where(post_keywords.c.keyword_id == keyword_id, beside.c.keyword_id != keyword_id)
        .where(*visible(include_drafts))
        .group_by(Keyword.id, Keyword.slug, Keyword.name)
        .order_by(shared.desc(), by_title(Keyword.name), by_codepoint(Keyword.slug))
        .limit(limit)
    )
    return list(session.execute(statement).all())


def count_terms_by_site(
    session: Session, kind: TermKind, site_ids: Collection[int], *, include_drafts: bool
) -> dict[int, int]:
    """Per site: how many authors or keywords have a visible post."""
    statement = (
        select(Post.site_id, func.count(func.distinct(kind.link_column)))
        .join(kind.links, kind.links.c.post_id == Post.id)
        .where(Post.site_id.in_(site_ids), *visible(include_drafts))
        .group_by(Post.site_id)
    )
    return {site_id: count for site_id, count in session.execute(statement).all()}
