"""What an import did: counts, problems and warnings, as the CLI prints them."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload


class PathList(Sequence[str]):
    """A list of paths in one buffer: the report of a first import names every file, and
    100,000 paths as str objects take 13 MB where this takes 8. Equal to a list of the same
    paths."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._buffer = bytearray()
        self._ends = array("I")
        self.extend(paths)

    def append(self, path: str) -> None:
        """Add ``path`` at the end."""
        self._buffer += path.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._buffer))

    def extend(self, paths: Iterable[str]) -> None:
        """Add every path of ``paths`` at the end."""
        for path in paths:
            self.append(path)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        index = range(len(self))[index]  # negative indices, and IndexError past the end
        start = self._ends[index - 1] if index else 0
        return self._buffer[start : self._ends[index]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))


@dataclass(frozen=True)
class Problem:
    """One line of the import report about one file."""

    path: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error": the file was not imported; "warning": it was

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class AssetCounts:
    """What a sync did to the site's assets; their errors are in the report's problems."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the sync changed any asset."""
        return bool(self.added or self.updated or self.removed)


@dataclass
class ImportReport:
    """The outcome of one sync of one site."""

    site: str
    dry_run: bool = False
    added: PathList = field(default_factory=PathList)
    updated: PathList = field(default_factory=PathList)
    unchanged: int = 0
    removed: PathList = field(default_factory=PathList)
    assets: AssetCounts = field(default_factory=AssetCounts)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False
    content_version: int | None = None

    @property
    def failed(self) -> list[Problem]:
        """The errors: files that were not imported."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The warnings: files imported with something to fix."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def changed(self) -> bool:
        """Whether the sync changed any document."""
        return bool(self.added or self.updated or self.removed)

    def asset_summary(self) -> str:
        """The line about assets the CLI prints just before the summary."""
        verb = "would be " if self.dry_run else ""
        assets = self.assets
        return (
            f"{self.site}: assets: {len(assets.added)} {verb}added, "
            f"{len(assets.updated)} {verb}updated, {assets.unchanged} unchanged, "
            f"{len(assets.removed)} {verb}removed"
        )

    def summary(self) -> str:
        """The one summary line the CLI prints last (the failed count includes assets)."""
        verb = "would be " if self.dry_run else ""
        counts = (
            f"{len(self.added)} {verb}added, {len(self.updated)} {verb}updated, "
            f"{self.unchanged} unchanged, {len(self.removed)} {verb}removed, "
            f"{len(self.failed)} failed, {len(self.warnings)} warnings"
        )
        if self.dry_run:
            state = "dry run, nothing changed"
        elif not self.committed:
            state = "aborted, nothing changed"
        else:
            state = f"content version {self.content_version}"
        return f"{self.site}: {counts} ({state})"
