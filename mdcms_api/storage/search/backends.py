"""Choosing the search backend for a database."""

from __future__ import annotations

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from mdcms_api.storage.search.base import SearchIndex
from mdcms_api.storage.search.postgres import PostgresSearchIndex
from mdcms_api.storage.search.sqlite import SqliteSearchIndex

_BACKENDS: dict[str, type[SearchIndex]] = {
    "sqlite": SqliteSearchIndex,
    "postgresql": PostgresSearchIndex,
}


def search_index_for(bind: Session | Engine | Connection) -> SearchIndex:
    """The search index of the database ``bind`` talks to."""
    engine_or_connection = bind.get_bind() if isinstance(bind, Session) else bind
    name = engine_or_connection.dialect.name
    try:
        return _BACKENDS[name]()
    except KeyError:
        raise LookupError(f"no search backend for the {name} database") from None
