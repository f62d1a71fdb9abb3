"""SQLAlchemy models: sites, posts, pages, authors, keywords and assets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Named constraints let Alembic's SQLite batch mode drop and recreate them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; SQLite keeps no offsets, so we normalise on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The declarative base with the project's naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Site(Base):
    """A site: one imported folder."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source_path: Mapped[str] = mapped_column(Text)
    # Bumped by every sync that changed something: the ETag of every response derives from it.
    content_version: Mapped[int] = mapped_column(Integer, default=0)
    # Everything besides the files that shapes rendered HTML; when it changes, all is re-rendered.
    render_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    last_import_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


post_authors = Table(
    "post_authors",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("author_id", ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_post_authors_author_id_post_id", "author_id", "post_id"),
)

post_keywords = Table(
    "post_keywords",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("keyword_id", ForeignKey("keywords.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Index("ix_post_keywords_keyword_id_post_id", "keyword_id", "post_id"),
)


class DocumentColumns:
    """Columns every imported markdown file has, posts and pages alike."""

    id: Mapped[int] = mapped_column(primary_key=True)

    @declared_attr
    def site_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))

    slug: Mapped[str] = mapped_column(String(300))
    source_path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # size and mtime let a re-sync skip unchanged files without reading them
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_mtime_ns: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    draft: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(35))
    created: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    markdown: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list[Any]] = mapped_column(JSON, default=list)
    components: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # Site paths the body links to, found or not: their arrival or removal re-renders it.
    link_targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    reading_time_minutes: Mapped[int] = mapped_column(Integer, default=1)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Post(DocumentColumns, Base):
    """A time-bound article from ``posts/``."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("site_id", "slug"),
        Index("ix_posts_site_id_draft_created", "site_id", "draft", "created"),
        Index("ix_posts_site_id_source_path", "site_id", "source_path"),
    )

    # The importer writes the association rows itself, with their positions: these are for reading.
    authors: Mapped[list[Author]] = relationship(
        secondary=post_authors, order_by=post_authors.c.position, lazy="selectin", viewonly=True
    )
    keywords: Mapped[list[Keyword]] = relationship(
        secondary=post_keywords, order_by=post_keywords.c.position, lazy="selectin", viewonly=True
    )


class Page(DocumentColumns, Base):
    """A permanent page from ``pages/``."""

    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("site_id", "slug"),
        Index("ix_pages_site_id_section_id_sort", "site_id", "section_id", "sort"),
        Index("ix_pages_site_id_source_path", "site_id", "source_path"),
    )

    section_id: Mapped[str | None] = mapped_column(String(200))
    sort: Mapped[int] = mapped_column(Integer, default=100)


# Either kind of document: code that treats posts and pages alike takes one of these.
DocumentModel = type[Post] | type[Page]


class TermColumns:
    """Columns of a name that posts of one site share: an author or a keyword."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        return (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)

    @declared_attr
    def site_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))

    slug: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(Text)


class Author(TermColumns, Base):
    """A person who wrote posts in one site."""

    __tablename__ = "authors"


class Keyword(TermColumns, Base):
    """A keyword (tag) used by posts in one site."""

    __tablename__ = "keywords"


class Asset(Base):
    """A file from the site's ``assets/`` folder, stored whole: API hosts need no site folder."""

    __tablename__ = "assets"
    __table_args__ = (UniqueConstraint("site_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(Text)  # below assets/, posix separators
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # size and mtime let a re-sync skip unchanged files without reading them
    file_mtime_ns: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
