"""link targets: the site paths each document links to, found or not

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

When a document or asset appears or goes away, the importer re-renders the documents that link
to its path, so a link written before its target existed resolves once the target arrives.
Existing rows start with an empty list; the importer's version bump re-renders them all on the
next sync, which fills it in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("posts", "pages")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("link_targets", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    # Not batch mode: on SQLite it would copy and drop the table, and dropping posts with
    # foreign keys on cascades into post_authors and post_keywords. SQLite 3.35+ drops a
    # column in place, as PostgreSQL does.
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN link_targets")
