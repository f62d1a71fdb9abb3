"""The renderer's inputs and output: settings, the site index and the rendered document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

# Bump whenever the HTML or a derived field changes for the same input, so the importer
# re-renders every stored document.
RENDERER_VERSION = 3


@dataclass(frozen=True)
class RenderSettings:
    """Everything site-wide that changes a document's rendered output."""

    site: str
    link_pattern: str = "/api/v1/sites/{site}/{kind}s/{slug}"
    asset_base_url: str = "/api/v1/sites/{site}/assets/"
    callouts: Mapping[str, str] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Return a stable hash of these settings and the renderer version."""
        payload = {
            "renderer": RENDERER_VERSION,
            "site": self.site,
            "link_pattern": self.link_pattern,
            "asset_base_url": self.asset_base_url,
            "callouts": {str(k): str(v) for k, v in self.callouts.items()},
        }
        encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    def document_url(self, kind: str, slug: str) -> str:
        """Return the href of a resolved link to a document."""
        return self.link_pattern.format(site=self.site, kind=kind, slug=slug)

    def asset_url(self, path_under_assets: str) -> str:
        """Return the URL of a file given by its path below ``assets/``."""
        return self.asset_base_url.format(site=self.site) + path_under_assets


@dataclass(frozen=True)
class SiteIndex:
    """What a document can link to: documents by site path, and asset paths."""

    documents: Mapping[str, tuple[str, str]]
    assets: frozenset[str]


@dataclass
class Rendered:
    """A rendered document: sanitized HTML and the fields derived from it."""

    html: str
    text: str
    toc: list[dict]
    excerpt: str
    word_count: int
    reading_time_minutes: int
    components: list[dict]
    warnings: list[str]
    link_targets: list[str] = field(default_factory=list)  # site paths linked, found or not
