"""Search test helpers: a small site on disk, and searching it the way the API will."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from mdcms_api.storage.models import Site
from mdcms_api.storage.search import SearchResults, parse_query, search

Find = Callable[..., SearchResults]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The folder of the site under test (named "blog"); tests write its files."""
    return tmp_path / "blog"


@pytest.fixture
def find(app: Flask) -> Find:
    """Search a site of the app's database for ``text``, as the search endpoint will."""

    def run(text: str, site: str = "blog", **options: object) -> SearchResults:
        with app.extensions["mdcms.db"].sessions() as session:
            site_id = session.scalar(select(Site.id).where(Site.slug == site))
            return search(session, site_id, parse_query(text), **options)

    return run


def slugs(results: SearchResults) -> list[str]:
    """The slugs of the hits, best first."""
    return [hit.slug for hit in results.hits]


def indexed(app: Flask) -> set[tuple[str, int]]:
    """Every (kind, id) the search index holds, read from its table."""
    with app.extensions["mdcms.db"].engine.connect() as connection:
        if connection.dialect.name == "sqlite":  # rowid = id * 2 + (1 for pages)
            statement = (
                "SELECT CASE rowid & 1 WHEN 1 THEN 'page' ELSE 'post' END, rowid >> 1"
                " FROM search_index"
            )
        else:
            statement = "SELECT kind, doc_id FROM search_documents"
        return {(kind, doc_id) for kind, doc_id in connection.exec_driver_sql(statement)}


def documents(app: Flask) -> set[tuple[str, int]]:
    """Every (kind, id) of the posts and pages tables."""
    with app.extensions["mdcms.db"].engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT 'post', id FROM posts UNION ALL SELECT 'page', id FROM pages"
        )
        return {(kind, doc_id) for kind, doc_id in rows}
