"""Writing prepared documents in batches: a few statements for many rows, not a few per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from mdcms_api.content.document import Term
from mdcms_api.importer.prepare import Prepared
from mdcms_api.importer.scan import SourceFile
from mdcms_api.storage.models import (
    Author,
    DocumentModel,
    Keyword,
    Page,
    Post,
    post_authors,
    post_keywords,
    utcnow,
)
from mdcms_api.storage.search import Kind, SearchEntry, SearchIndex

# Documents written together. Statements cost the same for one row or hundreds, while the
# batch's HTML and text stay in memory until it is written: a few MB at this size.
BATCH_SIZE = 100
# Ids in one `IN (...)`: far below every backend's limit on bound parameters.
IDS_PER_STATEMENT = 500

TermModel = type[Author] | type[Keyword]
# (term model, the table linking posts to it, that table's term column)
_TERM_LINKS: tuple[tuple[TermModel, Table, str], ...] = (
    (Author, post_authors, "author_id"),
    (Keyword, post_keywords, "keyword_id"),
)


@dataclass(frozen=True)
class _Pending:
    """One prepared document waiting for its batch; ``previous_id`` is the row it replaces."""

    model: DocumentModel
    prepared: Prepared
    previous_id: int | None


def kind_of(model: DocumentModel) -> Kind:
    """The search index's name for a document model."""
    return "post" if model is Post else "page"


def chunks(ids: list[int]) -> list[list[int]]:
    """``ids`` cut into lists short enough for one ``IN (...)`` each."""
    return [
        ids[start : start + IDS_PER_STATEMENT] for start in range(0, len(ids), IDS_PER_STATEMENT)
    ]


class DocumentWriter:
    """Writes documents, their author and keyword links and their search entries, in batches.

    Everything goes into the caller's transaction; `flush` must be called once at the end.
    """

    def __init__(self, session: Session, site_id: int, search: SearchIndex) -> None:
        self.session = session
        self.site_id = site_id
        self.search = search
        self.imported_at = utcnow()  # one sync, one import time
        self._pending: list[_Pending] = []
        self._touched: dict[DocumentModel, list[dict[str, int]]] = {Post: [], Page: []}
        self._term_ids: dict[TermModel, dict[str, int]] = {}

    def put(self, model: DocumentModel, prepared: Prepared, previous_id: int | None) -> None:
        """Write ``prepared`` as a new document, or over the stored one ``previous_id``."""
        self._pending.append(_Pending(model, prepared, previous_id))
        if len(self._pending) >= BATCH_SIZE:
            self.flush()

    def touch(self, model: DocumentModel, document_id: int, source: SourceFile) -> None:
        """Remember a new stat for a stored document whose bytes did not change."""
        touched = self._touched[model]
        touched.append({"doc_id": document_id, "size": source.size, "mtime_ns": source.mtime_ns})
        if len(touched) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Write everything collected so far."""
        pending, self._pending = self._pending, []
        for model in (Post, Page):
            self._write_stats(model)
            batch = [item for item in pending if item.model is model]
            if batch:
                ids = self._write_rows(model, batch)
                if model is Post:
                    self._link_terms(batch, ids)
                self._index(model, batch, ids)

    # -- the statements of one batch ------------------------------------------------------

    def _write_stats(self, model: DocumentModel) -> None:
        touched, self._touched[model] = self._touched[model], []
        if touched:
            table = model.__table__
            self.session.execute(
                update(table)
                .where(table.c.id == bindparam("doc_id"))
                .values(file_size=bindparam("size"), file_mtime_ns=bindparam("mtime_ns")),
                touched,
            )

    def _write_rows(self, model: DocumentModel, batch: list[_Pending]) -> list[int]:
        """Insert the new rows and update the replaced ones; the id of each, in batch order."""
        table = model.__table__
        new = [self._row(model, item.prepared) for item in batch if item.previous_id is None]
        replaced = [
            {**self._row(model, item.prepared), "doc_id": item.previous_id}
            for item in batch
            if item.previous_id is not None
        ]
        new_ids: dict[str, int] = {}
        if new:
            # Mapped back by slug (unique in a site): asking for the rows in parameter order
            # would make SQLite run one INSERT per row.
            result = self.session.execute(insert(table).returning(table.c.slug, table.c.id), new)
            new_ids = dict(result.all())
        if replaced:
            self.session.execute(update(table).where(table.c.id == bindparam("doc_id")), replaced)
        return [
            new_ids[item.prepared.document.slug] if item.previous_id is None else item.previous_id
            for item in batch
        ]

    def _row(self, model: DocumentModel, prepared: Prepared) -> dict[str, Any]:
        document, rendered = prepared.document, prepared.rendered
        row = {
            "site_id": self.site_id,
            "slug": document.slug,
            "source_path": prepared.source.path,
            "content_hash": prepared.content_hash,
            "file_size": prepared.source.size,
            "file_mtime_ns": prepared.source.mtime_ns,
            "title": document.title,
            "description": document.description,
            "draft": document.draft,
            "language": document.language,
            "created": document.created,
            "modified": document.modified,
            "extra": document.extra,
            "markdown": document.body,
            "html": rendered.html,
            "text": rendered.text,
            "excerpt": rendered.excerpt,
            "toc": rendered.toc,
            "components": rendered.components,
            "link_targets": rendered.link_targets,
            "word_count": rendered.word_count,
            "reading_time_minutes": rendered.reading_time_minutes,
            "imported_at": self.imported_at,
        }
        if model is Page:
            row["section_id"] = document.section_id
            row["sort"] = document.sort
        return row

    def _link_terms(self, batch: list[_Pending], ids: list[int]) -> None:
        replaced = _replaced_ids(batch, ids)
        for model, table, column in _TERM_LINKS:
            for some in chunks(replaced):
                self.session.execute(delete(table).where(table.c.post_id.in_(some)))
            terms = [_terms_of(item.prepared, model) for item in batch]
            term_ids = self._term_ids_for(model, terms)
            rows = [
                {"post_id": post_id, column: term_ids[term.slug], "position": position}
                for post_id, post_terms in zip(ids, terms, strict=True)
                for position, term in enumerate(post_terms)
            ]
            if rows:
                self.session.execute(insert(table), rows)

    def _term_ids_for(self, model: TermModel, terms: list[list[Term]]) -> dict[str, int]:
        """The site's term ids by slug, with the batch's new terms inserted first."""
        if model not in self._term_ids:
            rows = self.session.execute(
                select(model.slug, model.id).where(model.site_id == self.site_id)
            )
            self._term_ids[model] = dict(rows.all())
        ids = self._term_ids[model]
        new: dict[str, str] = {}
        for post_terms in terms:
            for term in post_terms:
                if term.slug not in ids:
                    new.setdefault(term.slug, term.name)  # the first spelling imported wins
        if new:
            table = model.__table__
            rows = [
                {"site_id": self.site_id, "slug": slug, "name": name} for slug, name in new.items()
            ]
            result = self.session.execute(insert(table).returning(table.c.slug, table.c.id), rows)
            ids.update(result.all())
        return ids

    def _index(self, model: DocumentModel, batch: list[_Pending], ids: list[int]) -> None:
        # search: the document's entry follows its row, drafts included (readers' queries
        # filter them out; previews find them)
        kind = kind_of(model)
        replaced = _replaced_ids(batch, ids)
        for some in chunks(replaced):
            self.search.remove(self.session, kind, some)
        self.search.add(
            self.session,
            [
                _search_entry(kind, self.site_id, doc_id, item.prepared)
                for item, doc_id in zip(batch, ids, strict=True)
            ],
        )


def _replaced_ids(batch: list[_Pending], ids: list[int]) -> list[int]:
    return [doc_id for item, doc_id in zip(batch, ids, strict=True) if item.previous_id is not None]


def _terms_of(prepared: Prepared, model: TermModel) -> list[Term]:
    document = prepared.document
    return document.authors if model is Author else document.keywords


def _search_entry(kind: Kind, site_id: int, document_id: int, prepared: Prepared) -> SearchEntry:
    document = prepared.document
    return SearchEntry(
        kind=kind,
        doc_id=document_id,
        site_id=site_id,
        title=document.title,
        keywords=", ".join(keyword.name for keyword in document.keywords),
        description=document.description or "",
        body=prepared.rendered.text,  # the renderer's plain text: no markdown syntax, no HTML
    )
