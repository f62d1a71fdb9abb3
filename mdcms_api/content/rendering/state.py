"""Per-document state the Markdown extensions share while one document renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from mdcms_api.content.rendering.model import RenderSettings, SiteIndex


@dataclass
class DocumentState:
    """The document being rendered; reset by ``begin`` before every conversion."""

    path: str = ""
    settings: RenderSettings = field(default_factory=lambda: RenderSettings(site=""))
    index: SiteIndex = field(default_factory=lambda: SiteIndex({}, frozenset()))
    warnings: list[str] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    # Site paths the document points at, found or not: when one of them appears or goes
    # away, the importer renders the document again.
    link_targets: set[str] = field(default_factory=set)

    def begin(self, path: str, settings: RenderSettings, index: SiteIndex) -> None:
        """Start a new document."""
        self.path = path
        self.settings = settings
        self.index = index
        self.warnings = []
        self.components = []
        self.link_targets = set()

    def warn(self, message: str) -> None:
        """Record an import warning once."""
        if message not in self.warnings:
            self.warnings.append(message)
