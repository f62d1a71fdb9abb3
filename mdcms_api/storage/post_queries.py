"""Read queries for posts: filtered, sorted pages of summaries, one post, and its neighbours."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Subquery, and_, false, func, or_, select
from sqlalchemy.orm import Session, load_only

from mdcms_api.storage.listing import RELEVANCE, Listing, Window, fetch_window
from mdcms_api.storage.models import Author, Keyword, Post, post_authors, post_keywords
from mdcms_api.storage.ordering import by_codepoint, by_title
from mdcms_api.storage.search import Query, attach_snippets, ranked_matches

POST_SORTS = ("created", "-created", "modified", "-modified", "title", "-title", RELEVANCE)
BODY_FIELDS = ("html", "markdown", "text")

# Everything a summary shows; bodies stay unloaded unless asked for, they are most of a row.
SUMMARY_COLUMNS = (
    Post.slug,
    Post.title,
    Post.description,
    Post.draft,
    Post.language,
    Post.created,
    Post.modified,
    Post.extra,
    Post.excerpt,
    Post.word_count,
    Post.reading_time_minutes,
)


@dataclass(frozen=True)
class PostFilter:
    """Which posts of a site a list shows."""

    authors: tuple[str, ...] = ()  # author slugs: a post by any of them
    keywords: tuple[str, ...] = ()  # keyword slugs: a post with all of them
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # inclusive
    include_drafts: bool = False
    query: Query | None = None  # full-text search: only matching posts, each with a snippet


def visible(include_drafts: bool) -> list[ColumnElement[bool]]:
    """The condition on ``Post`` that hides drafts, unless they are asked for."""
    return [] if include_drafts else [Post.draft == false()]


def _conditions(site_id: int, where: PostFilter) -> list[ColumnElement[bool]]:
    conditions = [Post.site_id == site_id, *visible(where.include_drafts)]
    if where.authors:
        by_author = (
            select(post_authors.c.post_id)
            .join(Author, Author.id == post_authors.c.author_id)
            .where(Author.site_id == site_id, Author.slug.in_(where.authors))
        )
        conditions.append(Post.id.in_(by_author))
    for slug in dict.fromkeys(where.keywords):
        with_keyword = (
            select(post_keywords.c.post_id)
            .join(Keyword, Keyword.id == post_keywords.c.keyword_id)
            .where(Keyword.site_id == site_id, Keyword.slug == slug)
        )
        conditions.append(Post.id.in_(with_keyword))
    if where.created_from is not None:
        conditions.append(Post.created >= where.created_from)
    if where.created_to is not None:
        conditions.append(Post.created <= where.created_to)
    return conditions


def _order(sort: str, matches: Subquery | None) -> list[Any]:
    if sort == RELEVANCE:
        if matches is None:
            raise ValueError("sorting by relevance needs a search query")
        return [matches.c.rank.desc(), by_codepoint(Post.slug)]
    descending = sort.startswith("-")
    key = {
        "created": Post.created,
        # A post never modified was last changed when it was created.
        "modified": func.coalesce(Post.modified, Post.created),
        "title": by_title(Post.title),
    }[sort.lstrip("-")]
    slug = by_codepoint(Post.slug)
    if descending:
        return [key.desc().nulls_last(), slug.desc()]
    return [key.asc().nulls_last(), slug.asc()]


def list_posts(
    session: Session,
    site_id: int,
    where: PostFilter,
    *,
    sort: str,
    window: Window,
    bodies: Collection[str] = (),
) -> Listing[Post]:
    """A window of a site's posts matching ``where``, authors and keywords loaded in batches.

    With a search query, each post also gets a ``snippet`` attribute (HTML, see search.md).
    """
    conditions = _conditions(site_id, where)
    columns = [*SUMMARY_COLUMNS, *(getattr(Post, name) for name in bodies)]
    rows: Select[Any] = select(Post).options(load_only(*columns))
    count: Select[Any] = select(func.count(Post.id)).select_from(Post)
    matches = None
    if where.query is not None:
        matches = ranked_matches(session, site_id, where.query, kinds=("post",))
        rows = rows.join(matches, matches.c.doc_id == Post.id)
        count = count.join(matches, matches.c.doc_id == Post.id)
    rows = rows.where(*conditions).order_by(*_order(sort, matches))
    listing = fetch_window(session, rows, count.where(*conditions), window)
    if where.query is not None:
        attach_snippets(session, where.query, "post", listing.items)
    return listing


def get_post(session: Session, site_id: int, slug: str, *, include_drafts: bool) -> Post | None:
    """One post by slug; None when there is none (or it is a draft and drafts are hidden)."""
    statement = select(Post).where(
        Post.site_id == site_id, Post.slug == slug, *visible(include_drafts)
    )
    return session.scalar(statement)


def neighbours(
    session: Session, post: Post, *, include_drafts: bool
) -> tuple[Row[Any] | None, Row[Any] | None]:
    """(previous, next) of ``post`` by ``created``, ties broken by slug: slug, title, created."""
    slug = by_codepoint(Post.slug)
    before = or_(Post.created < post.created, and_(Post.created == post.created, slug < post.slug))
    after = or_(Post.created > post.created, and_(Post.created == post.created, slug > post.slug))
    base = select(Post.slug, Post.title, Post.created).where(
        Post.site_id == post.site_id, *visible(include_drafts)
    )
    previous = session.execute(
        base.where(before).order_by(Post.created.desc(), slug.desc()).limit(1)
    )
    following = session.execute(base.where(after).order_by(Post.created.asc(), slug.asc()).limit(1))
    return previous.first(), following.first()


def count_posts_by_site(
    session: Session, site_ids: Collection[int], *, include_drafts: bool
) -> dict[int, int]:
    """Per site: how many visible posts it has."""
    statement = (
        select(Post.site_id, func.count(Post.id))
        .where(Post.site_id.in_(site_ids), *visible(include_drafts))
        .group_by(Post.site_id)
    )
    return {site_id: count for site_id, count in session.execute(statement).all()}
