"""Keeping Python-Markdown's inline parsing fast: neutralizing blocks dense with markup."""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

# Python-Markdown's inline parsing is quadratic within a block: it scans forward, character
# by character in Python, from each "[" and "<" for a closer (8,000 "[" in one paragraph took
# 13 s here), and it rebuilds the block's string after every token, which is cheaper per
# character. A block's cost is estimated as (openers + other markup / 20) x its length,
# about 7e-7 s per unit at worst (measured); the costliest blocks are neutralized until the
# document fits the budget. A 100 KB post of ordinary prose and links costs about 3e5.
MAX_BLOCK_COST = 1_000_000
MAX_DOCUMENT_COST = 3_000_000
_OTHER_MARKUP_WEIGHT = 20

_BLOCKS = re.compile(r"\n[ \t]*\n")
# Characters that start inline markup. Block markers at line starts (#, >, -, |) stay, so
# a neutralized block keeps its block structure and only loses links and emphasis.
_INLINE_MARKUP = "\\`*_[]()<&!~^:"
_MARKUP_BYTES = _INLINE_MARKUP.encode()
# Private-use characters stand in for the markup while Python-Markdown passes over them.
_PLACEHOLDER_BASE = 0xF0000
_TO_PLACEHOLDER = {ord(c): chr(_PLACEHOLDER_BASE + i) for i, c in enumerate(_INLINE_MARKUP)}
_FROM_PLACEHOLDER = {
    _PLACEHOLDER_BASE + i: {"<": "&lt;", "&": "&amp;"}.get(c, c)
    for i, c in enumerate(_INLINE_MARKUP)
}


def _cost(block: str) -> int:
    # Markup is ASCII, one byte in UTF-8 where no other character has ASCII bytes; deleting
    # bytes counts it ten times faster than a regex does.
    encoded = block.encode("utf-8", "surrogatepass")
    markup = len(encoded) - len(encoded.translate(None, _MARKUP_BYTES))
    if not markup:
        return 0
    openers = block.count("[") + block.count("<")
    return (openers + (markup - openers) // _OTHER_MARKUP_WEIGHT) * len(block)


def limit_inline_cost(text: str) -> tuple[str, bool]:
    """Return ``text`` with its costliest blocks neutralized, and whether any was.

    Ordinary documents are far below both limits and come back unchanged.
    """
    if _cost(text) <= MAX_BLOCK_COST:
        # The whole text's cost bounds every block's and their sum: no need to split.
        return text, False
    blocks = _BLOCKS.split(text)
    costs = [_cost(block) for block in blocks]
    total = sum(costs)
    if total <= MAX_DOCUMENT_COST and max(costs, default=0) <= MAX_BLOCK_COST:
        return text, False
    separators = [*_BLOCKS.findall(text), ""]
    for i in sorted(range(len(blocks)), key=costs.__getitem__, reverse=True):
        if total <= MAX_DOCUMENT_COST and costs[i] <= MAX_BLOCK_COST:
            break
        blocks[i] = blocks[i].translate(_TO_PLACEHOLDER)
        total -= costs[i]
    return "".join(b + s for b, s in zip(blocks, separators, strict=True)), True


class _Preprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: InlineBudgetExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        text, self.extension.neutralized = limit_inline_cost("\n".join(lines))
        return text.split("\n")


class _Postprocessor(Postprocessor):
    def __init__(self, md: Markdown, extension: InlineBudgetExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        return text.translate(_FROM_PLACEHOLDER) if self.extension.neutralized else text


class InlineBudgetExtension(Extension):
    """Neutralizes costly blocks before inline parsing and restores their characters after."""

    def __init__(self) -> None:
        super().__init__()
        self.neutralized = False

    def extendMarkdown(self, md: Markdown) -> None:
        # After superfences stashed fenced code (25), before inline footnotes (22).
        md.preprocessors.register(_Preprocessor(md, self), "mdcms-inline-budget", 23)
        # Last, once raw HTML is restored: the restored "<" must stay text.
        md.postprocessors.register(_Postprocessor(md, self), "mdcms-inline-budget", 1)
