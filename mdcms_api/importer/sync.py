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
from mdcms_api.importer.plan import Removal, plan_documents
from mdcms_api.importer.prepare import Outcome, PrepareContext, prepare_all
from mdcms_api.importer.report import ImportReport, Problem
from mdcms_api.importer.scan import SiteScan, scan_site
from mdcms_api.importer.write import DocumentWriter, chunks, kind_of
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


def _fingerprint(config_bytes: bytes | None, settings: RenderSettings) -> str:
    digest = hashlib.sha256(IMPORTER_VERSION.encode())
    digest.update(config_bytes or b"")
    digest.update(settings.fingerprint().encode())
    return digest.hexdigest()


def _read_config(root: Path) -> bytes | None:
    path = root / CONFIG_FILE
    return path.read_bytes() if path.is_file() else None


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
        _lock_site(self.session, self.options.site)
        site = self._site(config, config_bytes, settings)
        fingerprint_changed = site.render_fingerprint != _fingerprint(config_bytes, settings)
        site_changed = self._update_site(site, config, config_bytes, settings)
        self._sync_documents(site, scan, config, settings, fingerprint_changed, progress)
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
        reread_all: bool,
        progress: ProgressCallback | None,
    ) -> None:
        files = scan.documents
        plan = plan_documents(
            self.session,
            site.id,
            files,
            reread_all=reread_all,
            changed_assets=self._changed_assets(site, scan),
        )
        self._remove(plan.removed)
        for position, message in sorted(plan.duplicates.items()):
            self.report.problems.append(Problem(files.path(position), message))
        self.report.unchanged += plan.unchanged
        index = SiteIndex(documents=files.by_path, assets=frozenset(scan.assets))
        context = PrepareContext(self.root, config, settings, index, self.options.max_file_bytes)
        writer = DocumentWriter(self.session, site.id, self.search)
        jobs = plan.jobs()
        for done, outcome in enumerate(prepare_all(jobs, context, self.options.workers), 1):
            self._apply(writer, outcome)
            if progress is not None:
                progress(done, len(jobs))
        writer.flush()
        self._remove_unused_terms(site)

    def _changed_assets(self, site: Site, scan: SiteScan) -> set[str]:
        """Asset paths that appeared or went away since the last sync."""
        stored = self.session.scalars(select(Asset.path).where(Asset.site_id == site.id))
        return {f"assets/{path}" for path in stored} ^ scan.assets

    def _remove(self, removed: list[Removal]) -> None:
        # Removals first: a file renamed within the site keeps its slug, and the unique
        # (site, slug) constraint must not see the old and the new row at once.
        for model in (Post, Page):
            table = model.__table__
            for ids in chunks([removal.id for removal in removed if removal.model is model]):
                self.session.execute(delete(table).where(table.c.id.in_(ids)))
                # search: the removed documents leave the index in the same transaction
                self.search.remove(self.session, kind_of(model), ids)
        self.report.removed.extend(removal.path for removal in removed)

    def _apply(self, writer: DocumentWriter, outcome: Outcome) -> None:
        """Write what preparing one file gave: its new version, a fresh stat, or an error."""
        job = outcome.job
        model = Post if job.source.kind == "post" else Page
        if outcome.error is not None:
            message, line = outcome.error
            self.report.problems.append(Problem(job.source.path, message, line))
        elif outcome.prepared is None:
            # Touched but not edited: remember the new stat so the next sync skips it cheaply.
            assert job.previous_id is not None, "only a stored file has a known hash"
            writer.touch(model, job.previous_id, job.source)
            self.report.unchanged += 1
        else:
            prepared = outcome.prepared
            writer.put(model, prepared, job.previous_id)
            for warning in prepared.document.warnings + prepared.rendered.warnings:
                self.report.problems.append(Problem(job.source.path, warning, severity="warning"))
            (self.report.updated if job.previous_id else self.report.added).append(job.source.path)

    def _fail(self, error: ContentError) -> None:
        self.report.problems.append(Problem(error.path or "", error.message, error.line))

    def _remove_unused_terms(self, site: Site) -> None:
        for model, table, column in (
            (Author, post_authors, "author_id"),
            (Keyword, post_keywords, "keyword_id"),
        ):
            used = select(table.c[column])
            self.session.execute(
                delete(model).where(model.site_id == site.id, model.id.not_in(used))
            )


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
