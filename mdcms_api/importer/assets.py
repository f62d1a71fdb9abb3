"""Syncing a site's assets/ files into the database: add, update, skip, remove, like documents."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from mdcms_api.importer.report import ImportReport, Problem
from mdcms_api.importer.scan import ASSETS_FOLDER, AssetFile
from mdcms_api.storage.models import Asset, utcnow

FALLBACK_CONTENT_TYPE = "application/octet-stream"
_PREFIX = f"{ASSETS_FOLDER}/"
# Python's own table and not the host's /etc/mime.types: every import host must agree. Plus the
# web types that table lacks or names in an older way (RFC 9239 for JavaScript).
_TYPES = mimetypes.MimeTypes()
for _extension, _type in {
    ".md": "text/markdown",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}.items():
    _TYPES.add_type(_type, _extension)
# A compressed file is those bytes, not the type of what is inside (.tar.gz is not a tar).
_COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
}


class AssetError(Exception):
    """An asset that cannot be imported: too big or unreadable."""


@dataclass(frozen=True)
class StoredAsset:
    """What the database remembers of an asset, enough to decide whether to re-read it."""

    id: int
    size: int
    mtime_ns: int
    sha256: str


def content_type(path: str) -> str:
    """The media type of a file by its name; unknown names are plain bytes."""
    guessed, encoding = _TYPES.guess_type(path, strict=False)
    if encoding is not None:
        return _COMPRESSED_TYPES.get(encoding, FALLBACK_CONTENT_TYPE)
    return guessed or FALLBACK_CONTENT_TYPE


class AssetSync:
    """One sync of one site's assets, inside the caller's transaction; counts go to ``report``."""

    def __init__(
        self, session: Session, root: Path, site_id: int, max_bytes: int, report: ImportReport
    ) -> None:
        self.session = session
        self.root = root
        self.site_id = site_id
        self.max_bytes = max_bytes
        self.report = report

    def run(self, files: list[AssetFile]) -> None:
        """Bring the stored assets in line with ``files`` (paths "assets/...", as scanned)."""
        stored = self._stored()
        on_disk = {file.path.removeprefix(_PREFIX) for file in files}
        gone = sorted(path for path in stored if path not in on_disk)
        if gone:
            ids = [stored[path].id for path in gone]
            self.session.execute(delete(Asset).where(Asset.id.in_(ids)))
            self.report.assets.removed.extend(_PREFIX + path for path in gone)
        for file in files:
            self._sync_file(file, stored.get(file.path.removeprefix(_PREFIX)))

    def _stored(self) -> dict[str, StoredAsset]:
        rows = self.session.execute(
            select(Asset.path, Asset.id, Asset.size, Asset.file_mtime_ns, Asset.sha256).where(
                Asset.site_id == self.site_id
            )
        )
        return {row[0]: StoredAsset(*row[1:]) for row in rows}

    def _sync_file(self, file: AssetFile, previous: StoredAsset | None) -> None:
        counts = self.report.assets
        if (
            previous is not None
            and previous.size == file.size
            and previous.mtime_ns == file.mtime_ns
        ):
            counts.unchanged += 1
            return
        try:
            data = self._read(file)
        except AssetError as error:
            # A failed file keeps its previous version, as a document does.
            self.report.problems.append(Problem(file.path, str(error)))
            return
        sha256 = hashlib.sha256(data).hexdigest()
        stat = {
            "file_mtime_ns": file.mtime_ns,
            "size": len(data),
            "content_type": content_type(file.path),
        }
        if previous is not None and previous.sha256 == sha256:
            # Touched but not edited: remember the new stat so the next sync skips it cheaply.
            self.session.execute(update(Asset).where(Asset.id == previous.id).values(**stat))
            counts.unchanged += 1
            return
        values = {
            **stat,
            "sha256": sha256,
            "data": data,
            "imported_at": utcnow(),
        }
        if previous is None:
            path = file.path.removeprefix(_PREFIX)
            self.session.execute(insert(Asset).values(site_id=self.site_id, path=path, **values))
            counts.added.append(file.path)
        else:
            self.session.execute(update(Asset).where(Asset.id == previous.id).values(**values))
            counts.updated.append(file.path)

    def _read(self, file: AssetFile) -> bytes:
        size = file.size
        if size <= self.max_bytes:
            try:
                with (self.root / file.path).open("rb") as handle:
                    # Never more than the limit in memory, even if the file grew since the scan.
                    data = handle.read(self.max_bytes + 1)
                    size = os.fstat(handle.fileno()).st_size
            except OSError as error:
                raise AssetError(f"cannot be read: {error.strerror}") from error
            if len(data) <= self.max_bytes:
                return data
        raise AssetError(
            f"the file is {size:,} bytes, over the limit of {self.max_bytes:,} "
            "(MDCMS_MAX_ASSET_BYTES)"
        )
