"""Syncing one site folder into the database: add, update, skip and remove, in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from mdcms_api.content.errors import ContentError
from mdcms_api.content.rendering.model import RenderSettings, SiteIndex
from mdcms_api.content.siteconfig import SiteConfig, parse_site_config
from mdcms_api.importer.assets import AssetSync
from mdcms_api.importer.prepare import FileJob, Outcome, PrepareContext, prepare_all
from mdcms_api.importer.report import ImportReport, Problem
from mdcms_api.importer.scan import SiteScan, scan_site
from mdcms_api.importer.write import DocumentWriter, kind_of
from mdcms_api.storage.db import Database
from mdcms_api.storage.models import (
    Asset,
    Author,
    Keyword,
    Page,
    Post,
    Site,
    post_authors,
    post_keywords,
    utcnow,
)
from mdcms_api.storage.search import search_index_for

CONFIG_FILE = "config.yml"
# Bump when parsing changes what is stored, so that the next sync re-reads every file.
IMPORTER_VERSION = "2"

ProgressCallback = Callable[[int, int], None]  # (files done, files in all)


class ImportAborted(Exception):
    """The sync was rolled back: a dry run, a strict run with errors, or a broken config.yml."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class ImportOptions:
    """How to sync: the knobs of `flask import-site`."""

    site: str
    dry_run: bool = False
    strict: bool = False
    max_file_bytes: int = 2 * 1024 * 1024
    max_asset_bytes: int = 20 * 1024 * 1024
    link_pattern: str = "/api/v1/sites/{site}/{kind}s/{slug}"
    asset_base_url: str = "/api/v1/sites/{site}/assets/"
    workers: int = 1  # processes that parse and render when many files changed


@dataclass(frozen=True)
class StoredFile:
    """What the database remembers of a file, enough to decide whether to re-read it."""

    id: int
    size: int
    mtime_ns: int
    content_hash: str


def _fingerprint(config_bytes: bytes | None, settings: RenderSettings) -> str:
    digest = hashlib.sha256(IMPORTER_VERSION.encode())
    digest.update(config_bytes or b"")
    digest.update(settings.fingerprint().encode())
    return digest.hexdigest()


def _read_config(root: Path) -> bytes | None:
    path = root / CONFIG_FILE
    return path.read_bytes() if path.is_file() else None


def _stored_files(
    session: Session, model: type[Post] | type[Page], site_id: int
) -> dict[str, StoredFile]:
    rows = session.execute(
        select(
            model.source_path, model.id, model.file_size, model.file_mtime_ns, model.content_hash
        ).where(model.site_id == site_id)
    )
    return {row[0]: StoredFile(*row[1:]) for row in rows}


def _lock_site(session: Session, slug: str) -> None:
    """Serialise imports of one site; other sites and all readers go on undisturbed.

    SQLite already holds its single write lock from BEGIN IMMEDIATE.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"mdcms-import:{slug}"}
        )


class SiteSync:
    """One sync of one site folder; `run` does the whole job inside the caller's transaction."""

    def __init__(self, session: Session, root: Path, options: ImportOptions) -> None:
        self.session = session
        self.root = root
        self.options = options
        self.report = ImportReport(site=options.site, dry_run=options.dry_run)
        self.search = search_index_for(session)

    # -- the steps -------------------------------------------------------------------------

    def run(self, progress: ProgressCallback | None = None) -> ImportReport:
        """Sync the folder; raise `ImportAborted` when nothing may be kept."""
        config_bytes = _read_config(self.root)
        try:
            config = parse_site_config(config_bytes)
        except ContentError as error:
            self._fail(error.at(CONFIG_FILE))
            raise ImportAborted(self.report) from error
        scan = scan_site(self.root)
        for path, reason in scan.skipped:
            self.report.problems.append(Problem(path, reason))
        settings = RenderSettings(
            site=self.options.site,
            link_pattern=self.options.link_pattern,
            asset_base_url=self.options.asset_base_url,
            callouts=config.callouts,
        )
        index = SiteIndex(
            documents={source.path: (source.kind, source.slug) for source in scan.documents},
            assets=frozenset(scan.assets),
        )
        _lock_site(self.session, self.options.site)
        site = self._site(config, config_bytes, settings)
        fingerprint_changed = site.render_fingerprint != _fingerprint(config_bytes, settings)
        site_changed = self._update_site(site, config, config_bytes, settings)
        self._sync_documents(site, scan, config, settings, index, fingerprint_changed, progress)
        # Assets have ETags of their own: changing one leaves the content version alone.
        AssetSync(self.session, self.root, site.id, self.options.max_asset_bytes, self.report).run(
            scan.asset_files
        )
        if self.report.changed or site_changed:
            site.content_version += 1
            site.last_import_at = utcnow()
        self.session.flush()
        self.report.content_version = site.content_version
        if self.options.dry_run or (self.options.strict and self.report.failed):
            raise ImportAborted(self.report)
        self.report.committed = True
        return self.report

    def _site(
        self, config: SiteConfig, config_bytes: bytes | None, settings: RenderSettings
    ) -> Site:
        site = self.session.scalar(select(Site).where(Site.slug == self.options.site))
        if site is None:
            site = Site(
                slug=self.options.site,
                name=self.options.site,
                content_version=0,
                render_fingerprint="",
            )
            self.session.add(site)
        return site

    def _update_site(
        self, site: Site, config: SiteConfig, config_bytes: bytes | None, settings: RenderSettings
    ) -> bool:
        values: dict[str, Any] = {
            "name": config.name or self.options.site,
            "description": config.description,
            "language": config.language,
            "timezone": config.timezone.key,
            "config": config.raw,
            "source_path": str(self.root),
            "render_fingerprint": _fingerprint(config_bytes, settings),
        }
        changed = site.id is None
        for key, value in values.items():
            if getattr(site, key) != value:
                setattr(site, key, value)
                changed = True
        self.session.flush()
        return changed

    def _sync_documents(
        self,
        site: Site,
        scan: SiteScan,
        config: SiteConfig,
        settings: RenderSettings,
        index: SiteIndex,
        reread_all: bool,
        progress: ProgressCallback | None,
    ) -> None:
        stored = {
            Post: _stored_files(self.session, Post, site.id),
            Page: _stored_files(self.session, Page, site.id),
        }
        on_disk = {source.path for source in scan.documents}
        # Removals first: a file renamed within the site keeps its slug, and the unique
        # (site, slug) constraint must not see the old and the new row at once.
        for model, files in stored.items():
            gone = [path for path in files if path not in on_disk]
            for path in gone:
                self.session.execute(delete(model).where(model.id == files[path].id))
                self.report.removed.append(path)
            # search: the removed documents leave the index in the same transaction
            self.search.remove(self.session, kind_of(model), [files[path].id for path in gone])
        duplicates = self._duplicate_slugs(scan)
        relinked = self._relinked_documents(site, stored, scan)
        jobs: list[FileJob] = []
        for source in scan.documents:
            previous = stored[_model(source.kind)].get(source.path)
            if source.path in duplicates:
                self.report.problems.append(Problem(source.path, duplicates[source.path]))
            elif (
                not reread_all
                and source.path not in relinked
                and previous
                and (previous.size, previous.mtime_ns) == (source.size, source.mtime_ns)
            ):
                self.report.unchanged += 1
            else:
                rerender = reread_all or previous is None or source.path in relinked
                known_hash = None if rerender else previous.content_hash
                jobs.append(FileJob(source, known_hash))
        context = PrepareContext(self.root, config, settings, index, self.options.max_file_bytes)
        writer = DocumentWriter(self.session, site.id, self.search)
        for done, outcome in enumerate(prepare_all(jobs, context, self.options.workers), 1):
            model = _model(outcome.job.source.kind)
            self._apply(writer, model, outcome, stored[model].get(outcome.job.source.path))
            if progress is not None:
                progress(done, len(jobs))
        writer.flush()
        self._remove_unused_terms(site)

    def _relinked_documents(
        self, site: Site, stored: dict[Any, dict[str, StoredFile]], scan: SiteScan
    ) -> set[str]:
        """Stored documents that link to a path which has appeared or gone away since."""
        stored_assets = self.session.scalars(select(Asset.path).where(Asset.site_id == site.id))
        before = {path for files in stored.values() for path in files}
        before.update(f"assets/{path}" for path in stored_assets)
        arrived_or_gone = before ^ ({source.path for source in scan.documents} | scan.assets)
        if not arrived_or_gone:
            return set()
        relinked: set[str] = set()
        for model in (Post, Page):
            rows = self.session.execute(
                select(model.source_path, model.link_targets).where(model.site_id == site.id)
            )
            relinked.update(path for path, targets in rows if arrived_or_gone.intersection(targets))
        return relinked

    def _apply(
        self,
        writer: DocumentWriter,
        model: type[Post] | type[Page],
        outcome: Outcome,
        previous: StoredFile | None,
    ) -> None:
        """Write what preparing one file gave: its new version, a fresh stat, or an error."""
        source = outcome.job.source
        if outcome.error is not None:
            message, line = outcome.error
            self.report.problems.append(Problem(source.path, message, line))
        elif outcome.prepared is None:
            # Touched but not edited: remember the new stat so the next sync skips it cheaply.
            assert previous is not None, "only a stored file has a known hash"
            writer.touch(model, previous.id, source)
            self.report.unchanged += 1
        else:
            prepared = outcome.prepared
            writer.put(model, prepared, previous.id if previous else None)
            for warning in prepared.document.warnings + prepared.rendered.warnings:
                self.report.problems.append(Problem(source.path, warning, severity="warning"))
            (self.report.updated if previous else self.report.added).append(source.path)

    def _fail(self, error: ContentError) -> None:
        self.report.problems.append(Problem(error.path or "", error.message, error.line))

    @staticmethod
    def _duplicate_slugs(scan: SiteScan) -> dict[str, str]:
        by_slug: dict[tuple[str, str], list[str]] = {}
        for source in scan.documents:
            by_slug.setdefault((source.kind, source.slug), []).append(source.path)
        problems: dict[str, str] = {}
        for (kind, slug), paths in by_slug.items():
            if len(paths) > 1:
                for path in paths:
                    others = ", ".join(other for other in paths if other != path)
                    problems[path] = (
                        f"the {kind} slug '{slug}' is also used by {others}: rename one of them"
                    )
        return problems

    def _remove_unused_terms(self, site: Site) -> None:
        for model, table, column in (
            (Author, post_authors, "author_id"),
            (Keyword, post_keywords, "keyword_id"),
        ):
            used = select(table.c[column])
            self.session.execute(
                delete(model).where(model.site_id == site.id, model.id.not_in(used))
            )


def _model(kind: str) -> type[Post] | type[Page]:
    return Post if kind == "post" else Page


def sync_site(
    database: Database, root: Path, options: ImportOptions, progress: ProgressCallback | None = None
) -> ImportReport:
    """Sync the site folder at ``root`` into ``database`` as ``options.site``.

    Everything happens in one transaction: a dry run, a strict run with a broken file, an
    exception or Ctrl-C leave the database exactly as it was.
    """
    try:
        with database.writing() as session:
            return SiteSync(session, root, options).run(progress)
    except ImportAborted as aborted:
        return aborted.report
