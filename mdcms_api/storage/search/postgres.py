"""The PostgreSQL search backend: a weighted tsvector with a GIN index, ts_rank_cd, ts_headline."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import Function

from mdcms_api.storage.search.base import Kind, SearchEntry, SearchIndex
from mdcms_api.storage.search.marks import START, STOP, indexed_body, marked_html
from mdcms_api.storage.search.query import Query, Term

# Created by migration 0002, with `document`, a stored generated tsvector: title weighted A,
# keywords and description B, body C, in the text search configuration below.
search_documents = table(
    "search_documents",
    column("kind"),
    column("doc_id"),
    column("site_id"),
    column("title"),
    column("keywords"),
    column("description"),
    column("body"),
    column("document"),
)
# English stemming (no stop words) after unaccent: `cafe` finds `café`, `running` finds `run`.
CONFIG = literal_column("'mdcms_search'::regconfig")
# ts_rank_cd weights in the order D, C, B, A: body 0.1, keywords and description 0.4, title 1.
_WEIGHTS = literal_column("'{0, 0.1, 0.4, 1}'::float4[]")
_HEADLINE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", MinWords=12, MaxWords=24'
# querytree() gives '' for a query in which the parser found no lexeme and 'T' for one that
# only negates: neither can use the index, and neither should match every document.
_UNSEARCHABLE = ("", "T")


def _lexeme(word: str) -> str:
    # Inside single quotes to_tsquery reads no operator: the text goes to the configuration's
    # parser, which splits it into lexemes joined as a phrase. Quote and backslash are escaped.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(term: Term) -> str:
    lexemes = [_lexeme(word) for word in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def tsquery_text(query: Query) -> str:
    """The to_tsquery input for ``query``: quoted lexemes and tsquery's own operators only."""
    required = ["(" + " | ".join(_phrase(term) for term in group) + ")" for group in query.groups]
    excluded = ["!" + _phrase(term) for term in query.excluded]
    return " & ".join(required + excluded)


def _tsquery(query: Query) -> Function[Any]:
    return func.to_tsquery(CONFIG, tsquery_text(query))


class PostgresSearchIndex(SearchIndex):
    """Search on PostgreSQL with full-text search (configuration mdcms_search)."""

    def add(self, session: Session, entries: Sequence[SearchEntry]) -> None:
        if entries:
            session.execute(
                insert(search_documents),
                [
                    {
                        "kind": entry.kind,
                        "doc_id": entry.doc_id,
                        "site_id": entry.site_id,
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
            session.execute(
                delete(search_documents).where(
                    search_documents.c.kind == kind, search_documents.c.doc_id.in_(list(doc_ids))
                )
            )

    def remove_site(self, session: Session, site_id: int) -> None:
        session.execute(delete(search_documents).where(search_documents.c.site_id == site_id))

    def matches(self, site_id: int, query: Query, kinds: Collection[Kind]) -> Select[Any]:
        tsquery = _tsquery(query)
        rank = func.ts_rank_cd(_WEIGHTS, search_documents.c.document, tsquery, type_=Float)
        return select(search_documents.c.kind, search_documents.c.doc_id, rank.label("rank")).where(
            search_documents.c.document.op("@@")(tsquery),
            func.querytree(tsquery).not_in(_UNSEARCHABLE),
            search_documents.c.site_id == site_id,
            search_documents.c.kind.in_(list(kinds)),
        )

    def snippets(
        self, session: Session, query: Query, keys: Collection[tuple[Kind, int]]
    ) -> dict[tuple[Kind, int], str]:
        if not keys:
            return {}
        headline = func.ts_headline(
            CONFIG, search_documents.c.body, _tsquery(query), _HEADLINE_OPTIONS
        )
        rows = session.execute(
            select(search_documents.c.kind, search_documents.c.doc_id, headline).where(
                tuple_(search_documents.c.kind, search_documents.c.doc_id).in_(list(keys))
            )
        )
        return {(kind, doc_id): marked_html(passage) for kind, doc_id, passage in rows}
