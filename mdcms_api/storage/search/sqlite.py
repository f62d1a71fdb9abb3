"""The SQLite search backend: an FTS5 table ranked with bm25, snippets from its snippet()."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    case,
    column,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import Session

from mdcms_api.storage.models import Page, Post
from mdcms_api.storage.search.base import Kind, SearchEntry, SearchIndex
from mdcms_api.storage.search.marks import START, STOP, indexed_body, marked_html
from mdcms_api.storage.search.query import Query, Term

# Created by migration 0002: search_index(title, keywords, description, body), and
# rowid = doc_id * 2 + (1 for pages). Kind, id and site are not columns on purpose: FTS5 reads
# a row's whole stored record, body included, to return any of its columns, which made
# filtering 300 matches by site 20 times slower than matching them. The rowid says kind and id
# for free, and the site is a filter on the documents' own tables.
search_index = table(
    "search_index",
    column("rowid"),
    column("title"),
    column("keywords"),
    column("description"),
    column("body"),
)
_MATCH = literal_column("search_index").op("MATCH")
# bm25 weights, one per column in table order: title, keywords, description, body.
_WEIGHTS = (10.0, 4.0, 4.0, 1.0)
_BODY_COLUMN = 3
_SNIPPET_TOKENS = 24


def _rowid(kind: Kind, doc_id: int) -> int:
    return doc_id * 2 + (kind == "page")


def _kind_and_id() -> tuple[ColumnElement[str], ColumnElement[int]]:
    rowid = search_index.c.rowid
    is_page = rowid.op("&", return_type=Integer)(1) == 1
    kind = case((is_page, literal("page")), else_=literal("post"))
    return kind.label("kind"), rowid.op(">>", return_type=Integer)(1).label("doc_id")


def _site_rowids(site_id: int, kinds: Collection[Kind]) -> Select[Any]:
    """The rowids the documents of one site, of these kinds, have in the index."""
    parts = []
    if "post" in kinds:
        parts.append(select(Post.id * 2).where(Post.site_id == site_id))
    if "page" in kinds:
        parts.append(select(Page.id * 2 + 1).where(Page.site_id == site_id))
    return union_all(*parts).subquery().select() if len(parts) > 1 else parts[0]


def _phrase(term: Term) -> str:
    # A double-quoted string is always a plain phrase to FTS5: its own tokenizer splits it, and
    # no operator, column filter or NEAR inside it means anything. Quotes are doubled.
    quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
    return f"{quoted} *" if term.prefix else quoted


def match_expression(query: Query) -> str:
    """The FTS5 MATCH string for ``query``: only quoted phrases and FTS5's own operators."""
    groups = " AND ".join(
        "(" + " OR ".join(_phrase(term) for term in group) + ")" for group in query.groups
    )
    if not query.excluded:
        return groups
    # NOT binds tighter than AND in FTS5, hence the parentheses around the required part.
    return f"({groups}) NOT (" + " OR ".join(_phrase(term) for term in query.excluded) + ")"


class SqliteSearchIndex(SearchIndex):
    """Search on SQLite with FTS5 (tokenizer: porter unicode61 remove_diacritics 2)."""

    def add(self, session: Session, entries: Sequence[SearchEntry]) -> None:
        if entries:
            session.execute(
                insert(search_index),
                [
                    {
                        "rowid": _rowid(entry.kind, entry.doc_id),
                        "title": entry.title,
                        "keywords": entry.keywords,
                        "description": entry.description,
                        "body": indexed_body(entry.body),
                    }
                    for entry in entries
                ],
            )

    def remove(self, session: Session, kind: Kind, doc_ids: Collection[int]) -> None:
        if doc_ids:
            rowids = [_rowid(kind, doc_id) for doc_id in doc_ids]
            session.execute(delete(search_index).where(search_index.c.rowid.in_(rowids)))

    def remove_site(self, session: Session, site_id: int) -> None:
        rowids = _site_rowids(site_id, ("post", "page"))
        session.execute(delete(search_index).where(search_index.c.rowid.in_(rowids)))

    def matches(self, site_id: int, query: Query, kinds: Collection[Kind]) -> Select[Any]:
        # bm25 is lower for better matches; the interface promises higher is better.
        rank = -func.bm25(literal_column("search_index"), *_WEIGHTS, type_=Float)
        return select(*_kind_and_id(), rank.label("rank")).where(
            _MATCH(match_expression(query)),
            # "rowid + 0", not "rowid": a bare rowid IN (...) is handed to FTS5, which then
            # runs the whole query once per document of the site (1 s instead of 11 ms for
            # 10,000 posts). As an expression it is a plain filter on the matches instead.
            (search_index.c.rowid + 0).in_(_site_rowids(site_id, kinds)),
        )

    def snippets(
        self, session: Session, query: Query, keys: Collection[tuple[Kind, int]]
    ) -> dict[tuple[Kind, int], str]:
        if not keys:
            return {}
        snippet = func.snippet(
            literal_column("search_index"), _BODY_COLUMN, START, STOP, "…", _SNIPPET_TOKENS
        )
        rows = session.execute(
            select(*_kind_and_id(), snippet).where(
                _MATCH(match_expression(query)),
                search_index.c.rowid.in_([_rowid(kind, doc_id) for kind, doc_id in keys]),
            )
        )
        return {(kind, doc_id): marked_html(passage) for kind, doc_id, passage in rows}
