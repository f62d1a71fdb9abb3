"""Migration 0002 on each backend: it indexes the rows already there, and downgrades cleanly."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from mdcms_api.storage import migrations
from mdcms_api.storage.db import make_engine
from mdcms_api.storage.search import is_search_table, parse_query, search

DOCUMENT_COLUMNS = (
    "id, site_id, slug, source_path, content_hash, file_size, file_mtime_ns, title, description,"
    " draft, language, extra, markdown, html, text, excerpt, toc, components, word_count,"
    " reading_time_minutes, imported_at"
)
DOCUMENT_VALUES = (
    "1, 1, :slug, :path, 'h', 1, 1, :title, :description, FALSE, 'en', '{}', :markdown, '',"
    " :text, '', '[]', '[]', 2, 1, '2025-01-01 00:00:00'"
)
DOCUMENTS = {
    "posts": {"slug": "otters", "title": "Otters", "description": None, "text": "They swim."},
    "pages": {"slug": "about", "title": "About", "description": "The café.", "text": "Rivers."},
}


def insert_documents(engine: Engine) -> None:
    """A site with a post (with a keyword) and a page, written as revision 0001 knows them."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sites (id, slug, name, language, timezone, config, source_path,"
                " content_version, render_fingerprint, created_at) VALUES (1, 'blog', 'Blog',"
                " 'en', 'UTC', '{}', '/srv/blog', 1, '', '2025-01-01 00:00:00')"
            )
        )
        for table, values in DOCUMENTS.items():
            columns, row = DOCUMENT_COLUMNS, DOCUMENT_VALUES
            if table == "pages":
                columns, row = f"{columns}, sort", f"{row}, 100"
            connection.execute(
                text(f"INSERT INTO {table} ({columns}) VALUES ({row})"),
                {**values, "path": f"{table}/{values['slug']}.md", "markdown": values["text"]},
            )
        connection.execute(
            text("INSERT INTO keywords (id, site_id, slug, name) VALUES (1, 1, 'fauna', 'Fauna')")
        )
        connection.execute(
            text("INSERT INTO post_keywords (post_id, keyword_id, position) VALUES (1, 1, 0)")
        )


def stored(engine: Engine) -> dict[str, tuple]:
    with engine.connect() as connection:
        return {
            table: tuple(connection.execute(text(f"SELECT slug, title, text FROM {table}")))
            for table in DOCUMENTS
        }


def found(engine: Engine, words: str) -> list[tuple[str, str, str]]:
    with engine.connect() as connection, Session(connection) as session:
        hits = search(session, 1, parse_query(words)).hits
        return [(hit.kind, hit.slug, hit.snippet) for hit in hits]


def search_tables(engine: Engine) -> set[str]:
    return {name for name in inspect(engine).get_table_names() if is_search_table(name)}


def test_upgrading_indexes_existing_documents(empty_database_url):
    engine = make_engine(empty_database_url)
    migrations.upgrade(engine, "0001")
    insert_documents(engine)
    before = stored(engine)
    migrations.upgrade(engine)
    assert stored(engine) == before
    assert found(engine, "otters") == [("post", "otters", "They swim.")]
    assert found(engine, "swimming") == [("post", "otters", "They <mark>swim</mark>.")]
    assert found(engine, "fauna")[0][1] == "otters"
    assert found(engine, "cafe") == [("page", "about", "Rivers.")]
    engine.dispose()


def test_downgrading_drops_the_index_and_keeps_the_documents(empty_database_url):
    engine = make_engine(empty_database_url)
    migrations.upgrade(engine, "0001")
    insert_documents(engine)
    before = stored(engine)
    migrations.upgrade(engine)
    assert search_tables(engine)
    migrations.downgrade(engine, "0001")
    assert search_tables(engine) == set()
    assert stored(engine) == before
    migrations.upgrade(engine)
    assert found(engine, "rivers")[0][1] == "about"
    migrations.downgrade(engine, "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
