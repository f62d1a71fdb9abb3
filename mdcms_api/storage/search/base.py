"""The interface every search backend implements, and the entry it indexes per document."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select
from sqlalchemy.orm import Session

from mdcms_api.storage.search.query import Query

Kind = Literal["post", "page"]
KINDS: tuple[Kind, ...] = ("post", "page")

# The tables the migrations create for search; Alembic's autogenerate must leave them alone
# (SQLite's FTS5 adds shadow tables named after the virtual table: search_index_data, ...).
SEARCH_TABLES = ("search_index", "search_documents")


def is_search_table(name: str) -> bool:
    """Whether ``name`` is one of the search tables (or an FTS5 shadow table of one)."""
    return any(name == table or name.startswith(f"{table}_") for table in SEARCH_TABLES)


def not_a_search_table(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: autogenerate ignores the search tables, which migration
    0002 creates per dialect and no model describes."""
    return not (type_ == "table" and name is not None and is_search_table(name))


@dataclass(frozen=True)
class SearchEntry:
    """What the index holds for one post or page: plain text, no markdown, no HTML."""

    kind: Kind
    doc_id: int
    site_id: int
    title: str
    keywords: str
    description: str
    body: str


class SearchIndex(ABC):
    """A full-text index of posts and pages, written and read inside the caller's transaction.

    Drafts are indexed like everything else: whether they may be found is the caller's filter.
    """

    @abstractmethod
    def add(self, session: Session, entries: Sequence[SearchEntry]) -> None:
        """Add the entries of documents that have none: `remove` a document's old entry first."""

    @abstractmethod
    def remove(self, session: Session, kind: Kind, doc_ids: Collection[int]) -> None:
        """Remove the entries of these documents of one kind."""

    @abstractmethod
    def remove_site(self, session: Session, site_id: int) -> None:
        """Remove the entries of every document of one site; call it before deleting its rows."""

    @abstractmethod
    def matches(self, site_id: int, query: Query, kinds: Collection[Kind]) -> Select[Any]:
        """Select ``kind``, ``doc_id`` and ``rank`` (higher is more relevant) of every match.

        The statement is meant to be used as a subquery joined with the caller's own filters.
        """

    @abstractmethod
    def snippets(
        self, session: Session, query: Query, keys: Collection[tuple[Kind, int]]
    ) -> dict[tuple[Kind, int], str]:
        """A passage of each document's body, as HTML: matches in ``<mark>``, nothing else."""
