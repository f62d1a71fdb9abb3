"""What an import did: counts, problems and warnings, as the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
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
