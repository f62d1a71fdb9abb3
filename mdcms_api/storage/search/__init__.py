"""Full-text search over posts and pages: one interface, a backend per database."""

from mdcms_api.storage.search.backends import search_index_for
from mdcms_api.storage.search.base import (
    KINDS,
    Kind,
    SearchEntry,
    SearchIndex,
    is_search_table,
    not_a_search_table,
)
from mdcms_api.storage.search.query import MAX_QUERY_LENGTH, Query, QueryError, Term, parse_query
from mdcms_api.storage.search.results import (
    SearchHit,
    SearchResults,
    attach_snippets,
    ranked_matches,
    search,
    snippets,
)

__all__ = [
    "KINDS",
    "MAX_QUERY_LENGTH",
    "Kind",
    "Query",
    "QueryError",
    "SearchEntry",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "Term",
    "attach_snippets",
    "is_search_table",
    "not_a_search_table",
    "parse_query",
    "ranked_matches",
    "search",
    "search_index_for",
    "snippets",
]
