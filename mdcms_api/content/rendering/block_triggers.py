"""Skipping block-level work whose trigger text is absent: block processors, raw HTML parsing."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension

# Text the block must contain for the processor registered under that name to take it. Each
# test (or, for "reference" and "footnote", whose test always passes, each run) otherwise
# searches every block with a regex, and most blocks are plain paragraphs. Checked in
# tests/content/test_block_triggers.py.
BLOCK_TRIGGERS = {
    "table": ("|",),
    "hashheader": ("#",),
    "setextheader": ("\n=", "\n-"),
    "quote": (">",),
    "footnote": ("[^",),
    "reference": ("]:",),
}

# Raw HTML starts with "<"; without it (or a "&", which the HTML parser also rewrites) the
# raw HTML preprocessor's full HTML parse gives the lines back unchanged.
RAW_HTML_TRIGGERS = ("<", "&")

_Test = Callable[[Element, str], bool]
_Run = Callable[[list[str]], list[str]]


def _guarded(test: _Test, triggers: tuple[str, ...]) -> _Test:
    def guarded_test(parent: Element, block: str) -> bool:
        return any(trigger in block for trigger in triggers) and test(parent, block)

    return guarded_test


def _guarded_run(run: _Run) -> _Run:
    def guarded_run(lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        return run(lines) if any(t in source for t in RAW_HTML_TRIGGERS) else lines

    return guarded_run


class BlockTriggerExtension(Extension):
    """Puts a trigger check in front of the block processors and the raw HTML preprocessor.

    A processor whose test fails leaves the block to the next one, exactly as when the
    test passes and the run finds nothing (which puts the block back).
    """

    def extendMarkdown(self, md: Markdown) -> None:
        # Listed after the GFM extensions, so the tables and footnotes processors exist.
        processors = md.parser.blockprocessors
        for name, triggers in BLOCK_TRIGGERS.items():
            if name in processors:
                processor = processors[name]
                processor.test = _guarded(processor.test, triggers)
        html_block = md.preprocessors["html_block"]
        html_block.run = _guarded_run(html_block.run)
