"""Reading, parsing and rendering the files a sync must (re)write, in worker processes for many."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mdcms_api.content.document import Document, parse_document
from mdcms_api.content.errors import ContentError
from mdcms_api.content.rendering.model import Rendered, RenderSettings, SiteIndex
from mdcms_api.content.siteconfig import SiteConfig
from mdcms_api.importer.scan import SourceFile

# Below this many files, starting worker processes costs more than it saves.
POOL_MIN_FILES = 100
# Files sent to a worker at once: each task costs both processes pickling, queue and future
# bookkeeping, which per file was a fifth of the importer's own CPU.
FILES_PER_TASK = 16
# Tasks in flight per worker: one being prepared, one waiting, so a worker never idles; few
# enough to keep memory flat.
TASKS_IN_FLIGHT_PER_WORKER = 2
# How often a worker checks that the importer still runs.
WORKER_WATCH_SECONDS = 0.5


@dataclass(frozen=True)
class PrepareContext:
    """What every file of one sync is prepared with; sent once to each worker process."""

    root: Path
    config: SiteConfig
    settings: RenderSettings
    index: SiteIndex
    max_file_bytes: int


@dataclass(frozen=True)
class FileJob:
    """One file to read; ``known_hash`` is the stored hash, None to render whatever it holds.

    ``previous_id`` is the stored document the file replaces, None for a new one.
    """

    source: SourceFile
    known_hash: str | None
    previous_id: int | None = None


@dataclass
class Prepared:
    """A document read, parsed and rendered, ready to be written."""

    source: SourceFile
    content_hash: str
    document: Document
    rendered: Rendered


@dataclass
class Outcome:
    """What became of one job: prepared, unchanged (same hash), or an error for the writer."""

    job: FileJob
    content_hash: str | None = None
    prepared: Prepared | None = None
    error: tuple[str, int | None] | None = None  # (message, line): exceptions pickle poorly

    @property
    def unchanged(self) -> bool:
        """The file was touched but its bytes are the ones already imported."""
        return self.prepared is None and self.error is None


def prepare(
    source: SourceFile,
    raw: bytes,
    content_hash: str,
    config: SiteConfig,
    settings: RenderSettings,
    index: SiteIndex,
) -> Prepared:
    """Parse and render one file: pure, so that it can run in another process."""
    # Imported here: Markdown and its extensions take a third of a second to load, which a
    # re-sync that finds nothing changed should not pay.
    from mdcms_api.content.render import render_document

    document = parse_document(source.path, raw, config)
    try:
        rendered = render_document(
            document.body,
            path=source.path,
            description=document.description,
            settings=settings,
            index=index,
        )
    except ContentError as error:
        if error.line is not None:
            error.line += document.body_line - 1
        raise
    except RecursionError as error:
        raise ContentError("the markdown is nested too deeply to render") from error
    return Prepared(source, content_hash, document, rendered)


def _read(context: PrepareContext, source: SourceFile) -> bytes:
    if source.size > context.max_file_bytes:
        raise ContentError(
            f"the file is {source.size:,} bytes, over the limit of "
            f"{context.max_file_bytes:,} (MDCMS_MAX_FILE_BYTES)"
        )
    try:
        return (context.root / source.path).read_bytes()
    except OSError as error:
        raise ContentError(f"cannot be read: {error.strerror}") from error


def prepare_file(job: FileJob, context: PrepareContext) -> Outcome:
    """Read, hash and (unless the hash is the known one) parse and render one file."""
    try:
        raw = _read(context, job.source)
        content_hash = hashlib.sha256(raw).hexdigest()
        if content_hash == job.known_hash:
            return Outcome(job, content_hash)
        prepared = prepare(
            job.source, raw, content_hash, context.config, context.settings, context.index
        )
    except ContentError as error:
        return Outcome(job, error=(error.message, error.line))
    return Outcome(job, content_hash, prepared)


_worker_context: PrepareContext | None = None


def _start_worker(context: PrepareContext, importer_pid: int) -> None:
    global _worker_context
    _worker_context = context
    threading.Thread(target=_exit_with, args=(importer_pid,), daemon=True).start()


def _exit_with(importer_pid: int) -> None:
    """Exit once the importer is gone, even killed outright (SIGKILL, the OOM killer).

    A worker waits for jobs on a queue it holds both ends of, and keeps its forkserver alive:
    without this, a killed import left three processes waiting forever.
    """
    while True:
        time.sleep(WORKER_WATCH_SECONDS)
        try:
            os.kill(importer_pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            os._exit(1)


def _prepare_in_worker(jobs: Sequence[FileJob]) -> list[Outcome]:
    context = _worker_context
    assert context is not None, "the pool's initializer sets the context"
    return [prepare_file(job, context) for job in jobs]


def prepare_all(
    jobs: Sequence[FileJob], context: PrepareContext, workers: int
) -> Iterator[Outcome]:
    """Yield the outcome of every job, in order; in ``workers`` processes when there are many."""
    if workers <= 1 or len(jobs) < POOL_MIN_FILES:
        for job in jobs:
            yield prepare_file(job, context)
        return
    yield from _prepare_in_pool(jobs, context, workers)


def _tasks(jobs: Sequence[FileJob]) -> Iterator[list[FileJob]]:
    for start in range(0, len(jobs), FILES_PER_TASK):
        yield [jobs[index] for index in range(start, min(start + FILES_PER_TASK, len(jobs)))]


def _prepare_in_pool(
    jobs: Sequence[FileJob], context: PrepareContext, workers: int
) -> Iterator[Outcome]:
    # forkserver, not fork: workers must not inherit the importer's open database connection.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=_start_worker,
        initargs=(context, os.getpid()),
    )
    pending: deque[Future[list[Outcome]]] = deque()
    tasks = _tasks(jobs)
    try:
        for task in tasks:
            pending.append(pool.submit(_prepare_in_worker, task))
            if len(pending) >= workers * TASKS_IN_FLIGHT_PER_WORKER:
                break
        while pending:
            outcomes = pending.popleft().result()
            next_task = next(tasks, None)
            if next_task is not None:
                pending.append(pool.submit(_prepare_in_worker, next_task))
            yield from outcomes
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
