"""One configured Python-Markdown instance per thread, with the GFM extensions and ours."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode

from mdcms_api.content.rendering.block_triggers import BlockTriggerExtension
from mdcms_api.content.rendering.components import ComponentExtension
from mdcms_api.content.rendering.inline_budget import InlineBudgetExtension
from mdcms_api.content.rendering.inline_footnotes import InlineFootnoteExtension
from mdcms_api.content.rendering.inline_triggers import InlineTriggerExtension
from mdcms_api.content.rendering.links import LinkExtension
from mdcms_api.content.rendering.state import DocumentState


class _HeadingIdsOnly(TocTreeprocessor):
    """Sets heading ids and ``toc_tokens``; skips building the table of contents as HTML.

    Python-Markdown builds and serializes that HTML for every document, but we never use
    it: the ``[TOC]`` marker is off, and ``toc-page`` components build theirs from the tokens.
    """

    def build_toc_div(self, toc_list: list) -> Element:
        return Element("div")


class _TocExtension(TocExtension):
    TreeProcessorClass = _HeadingIdsOnly


_GFM_EXTENSIONS = [
    "tables",
    "sane_lists",
    "md_in_html",
    "footnotes",
    "pymdownx.tilde",
    "pymdownx.tasklist",
    "pymdownx.magiclink",
    "pymdownx.superfences",
    "pymdownx.highlight",
]

_GFM_CONFIG = {
    # Number footnotes in reading order, so inline footnotes (defined at the end) fit in.
    "footnotes": {"USE_DEFINITION_ORDER": False},
    # `align=` instead of `style=`, which the sanitizer strips.
    "tables": {"use_align_attribute": True},
    "pymdownx.highlight": {"use_pygments": False},
    "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
    "pymdownx.tilde": {"subscript": False},
}


@dataclass
class Converter:
    """A Markdown instance and the state its extensions read; never shared across threads."""

    md: markdown.Markdown
    state: DocumentState


def _build() -> Converter:
    state = DocumentState()
    md = markdown.Markdown(
        extensions=[
            *_GFM_EXTENSIONS,
            # Heading ids only; an empty marker turns off the `[TOC]` text replacement.
            _TocExtension(marker="", slugify=slugify_unicode),
            ComponentExtension(state),
            InlineBudgetExtension(),
            InlineFootnoteExtension(),
            InlineTriggerExtension(),
            BlockTriggerExtension(),
            LinkExtension(state),
        ],
        extension_configs=_GFM_CONFIG,
        output_format="html",
    )
    # A list by default, searched for every element the tree prettifier visits; nothing adds
    # to it once the extensions are loaded.
    md.block_level_elements = frozenset(md.block_level_elements)
    return Converter(md=md, state=state)


_local = threading.local()


def converter() -> Converter:
    """Return this thread's converter, building it on first use (Markdown is not thread-safe)."""
    conv = getattr(_local, "converter", None)
    if conv is None:
        conv = _local.converter = _build()
    return conv
