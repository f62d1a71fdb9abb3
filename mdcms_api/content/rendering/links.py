"""Resolving links and images written as site paths to document URLs and asset URLs."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from mdcms_api.content.rendering.sanitize import ID_PREFIX
from mdcms_api.content.rendering.state import DocumentState

# A scheme ("https:", "mailto:", "javascript:") or a protocol-relative "//host" is not a site path.
_NOT_A_SITE_PATH = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_TOP_FOLDERS = ("posts/", "pages/", "assets/")


def _candidates(target: str, document_path: str) -> list[str]:
    """Return the site paths ``target`` may mean, most likely first.

    Writers use paths from the site root (``pages/about.md``); ``./`` and ``../`` forms are
    relative to the document's folder, and a bare ``install.md`` is tried both ways.
    """
    folder = posixpath.dirname(document_path)
    if target.startswith("/"):
        return [posixpath.normpath(target.lstrip("/"))]
    relative = posixpath.normpath(posixpath.join(folder, target))
    if target.startswith(("./", "../")):
        return [relative]
    from_root = posixpath.normpath(target)
    if target.startswith(_TOP_FOLDERS) or relative == from_root:
        return [from_root]
    return [relative, from_root]


class LinkResolver:
    """Rewrites one href or src; records a warning for a target that does not exist."""

    def __init__(self, state: DocumentState) -> None:
        self.state = state

    def resolve_href(self, element: Element) -> None:
        """Point a link at its document or asset URL, with data attributes for documents."""
        href = element.get("href")
        if not href or _NOT_A_SITE_PATH.match(href) or href.startswith(("#", "?")):
            return
        path, _, fragment = href.partition("#")
        path = path.split("?", 1)[0]
        candidates = _candidates(unquote(path), self.state.path)
        if path.lower().endswith(".md"):
            self._link_document(element, candidates, fragment)
        else:
            url = self._asset_url(candidates)
            if url is not None:
                element.set("href", url + (f"#{fragment}" if fragment else ""))

    def resolve_src(self, element: Element) -> None:
        """Point an image at its asset URL."""
        src = element.get("src")
        if not src or _NOT_A_SITE_PATH.match(src):
            return
        url = self._asset_url(_candidates(unquote(src.split("?", 1)[0]), self.state.path))
        if url is not None:
            element.set("src", url)

    def _link_document(self, element: Element, candidates: list[str], fragment: str) -> None:
        documents = self.state.index.documents
        found = next((c for c in candidates if c in documents), None)
        self.state.link_targets.update(candidates if found is None else [found])
        if found is None:
            self.state.warn(f"link to missing document {candidates[0]}")
            return
        kind, slug = documents[found]
        url = self.state.settings.document_url(kind, slug)
        # Fragments name heading ids, which the sanitizer prefixes in every document.
        element.set("href", url + (f"#{ID_PREFIX}{fragment}" if fragment else ""))
        element.set("data-mdcms-kind", kind)
        element.set("data-mdcms-slug", slug)

    def _asset_url(self, candidates: list[str]) -> str | None:
        """Return the URL of the asset among ``candidates``; warn if an assets/ path is missing."""
        in_assets = [c for c in candidates if c.startswith("assets/")]
        if not in_assets:
            return None
        found = next((c for c in in_assets if c in self.state.index.assets), None)
        self.state.link_targets.update(in_assets if found is None else [found])
        if found is None:
            self.state.warn(f"missing asset {in_assets[0]}")
            return None
        return self.state.settings.asset_url(quote(found.removeprefix("assets/")))


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, resolver: LinkResolver) -> None:
        super().__init__(md)
        self.resolver = resolver

    def run(self, root: Element) -> None:
        for element in root.iter("a"):
            self.resolver.resolve_href(element)
        for element in root.iter("img"):
            self.resolver.resolve_src(element)


class LinkExtension(Extension):
    """Resolves markdown links and images after inline parsing (so footnotes are included)."""

    def __init__(self, state: DocumentState) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: Markdown) -> None:
        resolver = LinkResolver(self.state)
        # After "inline" (20) has made the <a>/<img> elements, before "toc" (5).
        md.treeprocessors.register(_LinkTreeprocessor(md, resolver), "mdcms-links", 12)
