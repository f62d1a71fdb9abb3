"""search index: FTS5 on SQLite, a weighted tsvector on PostgreSQL, filled from existing rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The search objects are dialect-specific, so they live here and not in the models; env.py keeps
autogenerate away from them. The backfill repeats, in SQL, what the importer writes per document
(mdcms_api/storage/search): keywords joined with ", ", the plain text cut at 200,000 characters
without the \\x02/\\x03 highlight markers. Kept self-contained on purpose: a migration must not
change meaning when the application code changes later.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_INDEXED_CHARS = 200_000

SQLITE_UPGRADE = [
    # rowid = doc_id * 2 (+ 1 for pages) names the document: no column has to be read for it.
    """
    CREATE VIRTUAL TABLE search_index USING fts5(
        title, keywords, description, body,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    INSERT INTO search_index (rowid, title, keywords, description, body)
    SELECT p.id * 2, p.title,
           coalesce((SELECT group_concat(k.name, ', ')
                     FROM post_keywords pk JOIN keywords k ON k.id = pk.keyword_id
                     WHERE pk.post_id = p.id), ''),
           coalesce(p.description, ''),
           substr(replace(replace(p.text, char(2), ''), char(3), ''), 1, {MAX_INDEXED_CHARS})
    FROM posts p
    UNION ALL
    SELECT g.id * 2 + 1, g.title, '', coalesce(g.description, ''),
           substr(replace(replace(g.text, char(2), ''), char(3), ''), 1, {MAX_INDEXED_CHARS})
    FROM pages g
    """,
]

POSTGRESQL_UPGRADE = [
    # unaccent is a trusted extension (PostgreSQL 13+): a database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # English stemming without a stop word list, like SQLite's porter tokenizer: a search for
    # "about" or the phrase "the end" must not come back empty on one backend only.
    "CREATE TEXT SEARCH DICTIONARY mdcms_english_stem (TEMPLATE = snowball, Language = english)",
    "CREATE TEXT SEARCH CONFIGURATION mdcms_search (COPY = pg_catalog.english)",
    """
    ALTER TEXT SEARCH CONFIGURATION mdcms_search
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH mdcms_english_stem
    """,
    """
    ALTER TEXT SEARCH CONFIGURATION mdcms_search
        ALTER MAPPING FOR word, hword, hword_part WITH unaccent, mdcms_english_stem
    """,
    """
    CREATE TABLE search_documents (
        kind varchar(4) NOT NULL,
        doc_id integer NOT NULL,
        site_id integer NOT NULL,
        title text NOT NULL,
        keywords text NOT NULL,
        description text NOT NULL,
        body text NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('mdcms_search', title), 'A')
            || setweight(to_tsvector('mdcms_search', keywords || ' ' || description), 'B')
            || setweight(to_tsvector('mdcms_search', body), 'C')
        ) STORED,
        CONSTRAINT pk_search_documents PRIMARY KEY (kind, doc_id),
        CONSTRAINT ck_search_documents_kind CHECK (kind IN ('post', 'page')),
        CONSTRAINT fk_search_documents_site_id_sites FOREIGN KEY (site_id)
            REFERENCES sites (id) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX ix_search_documents_site_id ON search_documents (site_id)",
    "CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)",
    f"""
    INSERT INTO search_documents (kind, doc_id, site_id, title, keywords, description, body)
    SELECT 'post', p.id, p.site_id, p.title,
           coalesce((SELECT string_agg(k.name, ', ' ORDER BY pk.position)
                     FROM post_keywords pk JOIN keywords k ON k.id = pk.keyword_id
                     WHERE pk.post_id = p.id), ''),
           coalesce(p.description, ''),
           left(replace(replace(p.text, chr(2), ''), chr(3), ''), {MAX_INDEXED_CHARS})
    FROM posts p
    UNION ALL
    SELECT 'page', g.id, g.site_id, g.title, '', coalesce(g.description, ''),
           left(replace(replace(g.text, chr(2), ''), chr(3), ''), {MAX_INDEXED_CHARS})
    FROM pages g
    """,
]

DOWNGRADE = {
    "sqlite": ["DROP TABLE search_index"],
    # The unaccent extension stays: other objects in the database may use it.
    "postgresql": [
        "DROP TABLE search_documents",
        "DROP TEXT SEARCH CONFIGURATION mdcms_search",
        "DROP TEXT SEARCH DICTIONARY mdcms_english_stem",
    ],
}


def _dialect() -> str:
    name = op.get_bind().dialect.name
    if name not in DOWNGRADE:
        raise NotImplementedError(f"no search index for the {name} database")
    return name


def upgrade() -> None:
    statements = SQLITE_UPGRADE if _dialect() == "sqlite" else POSTGRESQL_UPGRADE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE[_dialect()]:
        op.execute(statement)
