"""Finding a site's documents and assets on disk, without following links out of the site."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mdcms_api.content.document import DocumentKind, document_identity

CONTENT_FOLDERS = ("posts", "pages")
ASSETS_FOLDER = "assets"


@dataclass(frozen=True)
class SourceFile:
    """A markdown file found in the site, with the stat fields that let a re-sync skip it."""

    path: str  # relative to the site root, posix separators
    kind: DocumentKind
    slug: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class AssetFile:
    """A file below ``assets/``, with the stat fields that let a re-sync skip it."""

    path: str  # relative to the site root, posix separators: "assets/..."
    size: int
    mtime_ns: int


@dataclass
class SiteScan:
    """Everything the importer needs to know about a site folder before reading any document."""

    root: Path
    documents: list[SourceFile] = field(default_factory=list)
    assets: set[str] = field(default_factory=set)
    asset_files: list[AssetFile] = field(default_factory=list)  # the same files, with their stat
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def _link_problem(root: Path, link: Path) -> str | None:
    """Why a symbolic link must not be followed, or None when it stays inside the site."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return "a link that leads nowhere (a loop): not followed"
    if not target.is_relative_to(root):
        return "a link to a file outside the site folder: not followed"
    return None


def _printable(relative: str) -> str:
    """The path for a report line, even when the file name is not valid UTF-8."""
    return relative.encode("utf-8", "backslashreplace").decode("utf-8")


def _walk(root: Path, folder: str, scan: SiteScan) -> list[tuple[str, os.stat_result]]:
    """Every regular file under ``root/folder``, skipping hidden names and links out of the site."""
    found: list[tuple[str, os.stat_result]] = []
    if (root / folder).is_dir():
        _walk_into(root, folder, scan, found)
    return found


def _walk_into(
    root: Path, relative_folder: str, scan: SiteScan, found: list[tuple[str, os.stat_result]]
) -> None:
    # os.scandir, not pathlib: a re-sync of 10,000 unchanged files is mostly this loop, and
    # DirEntry answers is_dir/is_symlink from the directory listing without a stat each.
    with os.scandir(root / relative_folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = f"{relative_folder}/{entry.name}"
        if not relative.isprintable() or _printable(relative) != relative:
            # undecodable bytes (surrogate escapes) or control characters in the name
            scan.skipped.append((_printable(relative), "the file name is not valid text"))
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk_into(root, relative, scan, found)
            continue
        link = entry.is_symlink()
        if link and os.path.isdir(entry.path):  # False for a loop, which is reported below
            continue  # folders are never entered through a link, as os.walk does not
        problem = _link_problem(root, Path(entry.path)) if link else None
        if problem is not None:
            scan.skipped.append((relative, problem))
            continue
        try:
            stat = entry.stat()
        except OSError as error:
            scan.skipped.append((relative, f"cannot be read: {error.strerror}"))
            continue
        if os.path.isfile(entry.path) if link else entry.is_file(follow_symlinks=False):
            found.append((relative, stat))


def _asset_files(root: Path, scan: SiteScan) -> list[AssetFile]:
    """The files under ``assets/`` that really are there: they are served to anyone."""
    folder = (root / ASSETS_FOLDER).resolve()
    found = []
    for relative, stat in _walk(root, ASSETS_FOLDER, scan):
        # A link to config.yml, or an assets/ folder that is itself a link out of the site,
        # must not publish what it points at.
        target = (root / relative).resolve()
        if not (target.is_relative_to(root) and target.is_relative_to(folder)):
            scan.skipped.append(
                (relative, "a link to a file outside the assets folder: not served")
            )
            continue
        found.append(AssetFile(relative, stat.st_size, stat.st_mtime_ns))
    return found


def scan_site(root: Path) -> SiteScan:
    """List the site's documents (sorted by path) and asset paths."""
    root = root.resolve()
    scan = SiteScan(root=root)
    for folder in CONTENT_FOLDERS:
        for relative, stat in _walk(root, folder, scan):
            identity = document_identity(relative)
            if identity is None:
                continue
            kind, slug = identity
            scan.documents.append(SourceFile(relative, kind, slug, stat.st_size, stat.st_mtime_ns))
    scan.asset_files = _asset_files(root, scan)
    scan.assets = {asset.path for asset in scan.asset_files}
    scan.documents.sort(key=lambda source: source.path)
    return scan
