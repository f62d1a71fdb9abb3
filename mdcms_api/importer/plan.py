"""Deciding what a sync does with each document: the scan against the stored state, in path order.

The stored state is streamed, never loaded whole, and the plan holds positions in the scan
rather than objects: a sync's memory stays flat however many documents the site has.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mdcms_api.content.document import document_identity
from mdcms_api.importer.prepare import FileJob
from mdcms_api.importer.scan import DocumentFiles
from mdcms_api.storage.models import DocumentModel, Page, Post

# Stored rows fetched at a time.
STREAM_ROWS = 1000
# Slots of the duplicate slug check per document: more slots, fewer slugs compared for real.
SLOTS_PER_DOCUMENT = 8


@dataclass(frozen=True)
class Removal:
    """A stored document whose file is gone."""

    model: DocumentModel
    id: int
    path: str


@dataclass
class DocumentPlan:
    """What a sync does with each document of the scan ``files``.

    Jobs are positions in ``files``, in path order, with the stored id each one replaces (0 for
    a new document): a first import plans every file, so nothing here is an object per file.
    """

    files: DocumentFiles
    duplicates: dict[int, str]  # position: why the file is refused
    removed: list[Removal] = field(default_factory=list)
    unchanged: int = 0
    positions: array[int] = field(default_factory=lambda: array("q"))
    previous_ids: array[int] = field(default_factory=lambda: array("q"))
    # position: the stored hash, for files whose stat changed; rendered only if it differs
    known_hashes: dict[int, str] = field(default_factory=dict)

    def jobs(self) -> Sequence[FileJob]:
        """The files to read, in path order, each made into a job when it is needed."""
        return _Jobs(self)

    def add_job(self, position: int, previous_id: int) -> None:
        """Plan to read the file at ``position`` over the stored ``previous_id`` (0: a new one)."""
        self.positions.append(position)
        self.previous_ids.append(previous_id)


class _Jobs(Sequence[FileJob]):
    def __init__(self, plan: DocumentPlan) -> None:
        self.plan = plan

    def __len__(self) -> int:
        return len(self.plan.positions)

    def __getitem__(self, index: int) -> FileJob:  # type: ignore[override]
        plan = self.plan
        position = plan.positions[index]
        previous_id = plan.previous_ids[index] or None
        return FileJob(plan.files[position], plan.known_hashes.get(position), previous_id)


def plan_documents(
    session: Session,
    site_id: int,
    files: DocumentFiles,
    *,
    reread_all: bool,
    changed_assets: set[str],
) -> DocumentPlan:
    """Decide what to do with every document: add, re-read, skip, or remove.

    ``reread_all``: render every file again (the settings changed). ``changed_assets``: asset
    paths that appeared or went away; documents linking to them are rendered again, as are
    documents linking to documents that appeared or went away.
    """
    plan = DocumentPlan(files, duplicate_slugs(files))
    arrived, kept = _merge(
        plan, _stored(session, site_id, "file_size", "file_mtime_ns", "content_hash"), reread_all
    )
    if kept:  # stored documents that may link to what changed
        changed = changed_assets | {files.path(position) for position in arrived}
        changed.update(removal.path for removal in plan.removed)
        if changed:
            _relink(plan, _linking(session, site_id, files, changed))
    return plan


def _merge(plan: DocumentPlan, stored: Iterator[Any], reread_all: bool) -> tuple[array[int], int]:
    """Walk the scan and the stored documents side by side; return the positions of the files
    that are new, and how many stored documents are still there."""
    files, arrived, kept = plan.files, array("q"), 0
    position, count = 0, len(files)
    path = files.path(0) if count else None
    last = ""
    for model, stored_path, doc_id, size, mtime_ns, content_hash in stored:
        if stored_path <= last:
            raise ValueError(f"stored documents out of path order: {stored_path} after {last}")
        last = stored_path
        while path is not None and path < stored_path:
            _plan_new(plan, position, arrived)
            position += 1
            path = files.path(position) if position < count else None
        if path != stored_path:
            plan.removed.append(Removal(model, doc_id, stored_path))
            continue
        kept += 1
        if position in plan.duplicates:
            pass  # refused: the stored version stays
        elif reread_all:
            plan.add_job(position, doc_id)
        elif (size, mtime_ns) != files.stat(position):
            plan.add_job(position, doc_id)
            plan.known_hashes[position] = content_hash
        else:
            plan.unchanged += 1
        position += 1
        path = files.path(position) if position < count else None
    for rest in range(position, count):
        _plan_new(plan, rest, arrived)
    return arrived, kept


def _plan_new(plan: DocumentPlan, position: int, arrived: array[int]) -> None:
    arrived.append(position)
    if position not in plan.duplicates:
        plan.add_job(position, 0)


def _relink(plan: DocumentPlan, linking: dict[int, int]) -> None:
    """Render the stored documents at ``linking`` (position: id) again, even if unchanged."""
    planned = set(plan.positions)
    extra = {}
    for position, doc_id in linking.items():
        if position in plan.duplicates:
            continue
        plan.known_hashes.pop(position, None)
        if position not in planned:
            extra[position] = doc_id
            plan.unchanged -= 1
    if extra:
        jobs = sorted([*zip(plan.positions, plan.previous_ids, strict=True), *extra.items()])
        plan.positions = array("q", (position for position, _ in jobs))
        plan.previous_ids = array("q", (doc_id for _, doc_id in jobs))


def _linking(
    session: Session, site_id: int, files: DocumentFiles, changed: set[str]
) -> dict[int, int]:
    """Stored documents still in the scan that link to a path in ``changed``: position: id."""
    linking = {}
    for _model, path, doc_id, targets in _stored(session, site_id, "link_targets"):
        if not changed.isdisjoint(targets):
            position = files.position(path)
            if position is not None:
                linking[position] = doc_id
    return linking


def _stored(session: Session, site_id: int, *columns: str) -> Iterator[Any]:
    """(model, path, id, *columns) of every stored document, streamed in path order."""
    dialect = session.get_bind().dialect.name
    for model in (Page, Post):  # "pages/..." sorts before "posts/..."
        path = model.source_path
        # Python orders str by code point, as SQLite's BINARY and PostgreSQL's "C" collation
        # order UTF-8; the site's default collation may not.
        order = path.collate("C") if dialect == "postgresql" else path
        statement = (
            select(path, model.id, *(getattr(model, column) for column in columns))
            .where(model.site_id == site_id)
            .order_by(order)
        )
        for row in session.execute(statement, execution_options={"yield_per": STREAM_ROWS}):
            yield model, *row


def duplicate_slugs(files: DocumentFiles) -> dict[int, str]:
    """The positions of documents that share their kind and slug with another, with why."""
    # A byte per slot, counting keys up to two, instead of a set of 100,000 slugs (20 MB): only
    # the documents in a slot that was hit twice are compared for real, about a tenth of them.
    counts = bytearray(len(files) * SLOTS_PER_DOCUMENT + 1)
    slots = array("q", (hash(document_identity(path)) % len(counts) for path in files.paths()))
    for slot in slots:
        counts[slot] = min(counts[slot] + 1, 2)
    by_identity: dict[Any, list[int]] = {}
    for position, slot in enumerate(slots):
        if counts[slot] == 2:
            identity = document_identity(files.path(position))
            by_identity.setdefault(identity, []).append(position)
    problems: dict[int, str] = {}
    for (kind, slug), positions in by_identity.items():
        if len(positions) == 1:
            continue  # it only shared a slot
        for position in positions:
            others = ", ".join(files.path(other) for other in positions if other != position)
            problems[position] = (
                f"the {kind} slug '{slug}' is also used by {others}: rename one of them"
            )
    return problems
