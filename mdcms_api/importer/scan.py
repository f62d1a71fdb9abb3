"""Finding a site's documents and assets on disk, without following links out of the site."""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

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


class SortedPaths(Mapping[str, tuple[str, str]]):
    """Document paths in sorted order, as UTF-8 in one buffer, found by bisection.

    As a mapping it is what the renderer's site index wants: path to (kind, slug). Each worker
    process gets it to resolve links: 8 MB for 100,000 posts, where a dict took 32 MB.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._starts = array("I", [0])
        self._last = ""

    def append(self, path: str) -> None:
        """Add ``path`` after all the others: it must sort after them."""
        if path <= self._last:
            raise ValueError(f"documents out of order: {path} after {self._last}")
        self._last = path
        self._buffer += path.encode()
        self._starts.append(len(self._buffer))

    def path(self, index: int) -> str:
        """The path at ``index``."""
        return self._buffer[self._starts[index] : self._starts[index + 1]].decode()

    def position(self, path: str) -> int | None:
        """The index of ``path``, or None when it is not there."""
        index = bisect_left(range(len(self)), path, key=self.path)
        return index if index < len(self) and self.path(index) == path else None

    def __getitem__(self, path: str) -> tuple[str, str]:
        identity = document_identity(path) if self.position(path) is not None else None
        if identity is None:
            raise KeyError(path)
        return identity

    def __iter__(self) -> Iterator[str]:
        return (self.path(index) for index in range(len(self)))

    def __len__(self) -> int:
        return len(self._starts) - 1


class DocumentFiles(Sequence[SourceFile]):
    """The site's documents in path order, held compactly: their paths (`by_path`) and stats
    in arrays, about 10 MB for 100,000 posts."""

    def __init__(self) -> None:
        self.by_path = SortedPaths()
        self._sizes = array("q")
        self._mtimes = array("q")

    def append(self, path: str, size: int, mtime_ns: int) -> None:
        """Add a document after all the others: paths come in sorted order."""
        self.by_path.append(path)
        self._sizes.append(size)
        self._mtimes.append(mtime_ns)

    def __len__(self) -> int:
        return len(self._sizes)

    def __getitem__(self, index: int) -> SourceFile:  # type: ignore[override]
        path = self.path(index)
        identity = document_identity(path)
        assert identity is not None, "only documents are scanned"
        return SourceFile(path, *identity, self._sizes[index], self._mtimes[index])

    def path(self, index: int) -> str:
        """The path of the document at ``index``."""
        return self.by_path.path(index)

    def paths(self) -> Iterator[str]:
        """Every path, in order."""
        return iter(self.by_path)

    def stat(self, index: int) -> tuple[int, int]:
        """(size, mtime_ns) of the document at ``index``."""
        return self._sizes[index], self._mtimes[index]

    def position(self, path: str) -> int | None:
        """The index of ``path``, or None when it is not a document of the site."""
        return self.by_path.position(path)


@dataclass
class SiteScan:
    """Everything the importer needs to know about a site folder before reading any document."""

    root: Path
    documents: DocumentFiles = field(default_factory=DocumentFiles)
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


def _walk(root: Path, folder: str, scan: SiteScan) -> Iterator[tuple[str, os.stat_result]]:
    """Every regular file under ``root/folder``, in path order, skipping hidden names and links
    out of the site."""
    if (root / folder).is_dir():
        yield from _walk_into(root, folder, scan)


def _listing(folder: str) -> tuple[list[str], set[str]]:
    """The names in ``folder``, sub-folders' with a "/" after them, sorted; and which are links.

    A folder's names sort as the paths below them do ("a-b" before "a/x"), so the walk yields
    paths in order. Names only: as DirEntry objects, each keeping its stat, the listing of a
    folder of 100,000 posts took 100 MB.
    """
    names: list[str] = []
    links: set[str] = set()
    # os.scandir: is_dir and is_symlink come from the directory listing, without a stat each.
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False):
                names.append(f"{entry.name}/")
                continue
            names.append(entry.name)
            if entry.is_symlink():
                links.add(entry.name)
    names.sort()
    return names, links


def _walk_into(
    root: Path, relative_folder: str, scan: SiteScan
) -> Iterator[tuple[str, os.stat_result]]:
    names, links = _listing(f"{root}/{relative_folder}")
    for name in names:
        if name.startswith("."):
            continue
        relative = f"{relative_folder}/{name.removesuffix('/')}"
        if not relative.isprintable() or _printable(relative) != relative:
            # undecodable bytes (surrogate escapes) or control characters in the name
            scan.skipped.append((_printable(relative), "the file name is not valid text"))
            continue
        if name.endswith("/"):
            yield from _walk_into(root, relative, scan)
            continue
        path = f"{root}/{relative}"
        link = name in links
        if link and os.path.isdir(path):  # False for a loop, which is reported below
            continue  # folders are never entered through a link, as os.walk does not
        problem = _link_problem(root, Path(path)) if link else None
        if problem is not None:
            scan.skipped.append((relative, problem))
            continue
        try:
            stat = os.stat(path)  # through a link: what it points at
        except OSError as error:
            scan.skipped.append((relative, f"cannot be read: {error.strerror}"))
            continue
        if S_ISREG(stat.st_mode):
            yield relative, stat


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
    """List the site's documents (in path order) and asset paths."""
    root = root.resolve()
    scan = SiteScan(root=root)
    for folder in sorted(CONTENT_FOLDERS):
        for relative, stat in _walk(root, folder, scan):
            if document_identity(relative) is not None:
                scan.documents.append(relative, stat.st_size, stat.st_mtime_ns)
    scan.asset_files = _asset_files(root, scan)
    scan.assets = {asset.path for asset in scan.asset_files}
    return scan
