"""Skipping inline patterns whose trigger text is absent, instead of running each pattern."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.inlinepatterns import Pattern
from markdown.treeprocessors import InlineProcessor

# Text every match of the pattern registered under that name contains (or, for "backtick",
# is followed by), from the position the search starts at. Without it the pattern cannot
# match, so it is not tried: Python-Markdown's per-pattern bookkeeping costs several times
# the search itself, and most text holds no markup for most patterns. A pattern not named
# here is always tried; tests/content/test_inline_triggers.py checks every trigger.
TRIGGERS = {
    "backtick": "`",
    "escape": r"\\",
    "footnote": r"\[\^",
    "reference": r"\[",
    "link": r"\[",
    "image_link": r"!\[",
    "image_reference": r"!\[",
    "short_reference": r"\[",
    "short_image_ref": r"!\[",
    "autolink": "<",
    "automail": "@",
    "linebreak": "  \n",
    "html": "<",
    "magic-link": r"(?i:://|www\.)",
    "magic-mail": "@",
    "entity": "&",
    "em_strong": "[*_]",
    "delimiter": "~",
}
_COMPILED = {name: re.compile(trigger) for name, trigger in TRIGGERS.items()}
# Most text (table cells, list items, the text after a code span) holds no trigger at all.
_ANY_TRIGGER = re.compile("|".join(sorted(set(TRIGGERS.values()))))


class _TriggeredInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, trying only the patterns whose trigger is present."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self._patterns: list[tuple[Pattern, re.Pattern[str] | None]] = []
        self._all_triggered = False

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        # Built per run: extensions register patterns after this processor exists.
        patterns = self.inlinePatterns
        names = [None] * len(patterns)
        for name in _COMPILED:
            if name in patterns:
                names[patterns.get_index_for_name(name)] = name
        self._patterns = [
            (pattern, _COMPILED.get(name)) for pattern, name in zip(patterns, names, strict=True)
        ]
        self._all_triggered = None not in names
        return super().run(tree, ancestors)

    # Overrides InlineProcessor.__handleInline (a name-mangled private method, the one place
    # that loops over the patterns) with the same loop plus the trigger check.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        if self._all_triggered and not _ANY_TRIGGER.search(data):
            return data
        apply_pattern = self._InlineProcessor__applyPattern
        patterns = self._patterns
        start = 0
        while patternIndex < len(patterns):
            pattern, trigger = patterns[patternIndex]
            if trigger is None or trigger.search(data, start):
                data, matched, start = apply_pattern(pattern, data, patternIndex, start)
                if matched:
                    continue
            start = 0
            patternIndex += 1
        return data


class InlineTriggerExtension(Extension):
    """Replaces the "inline" tree processor with one that skips patterns quickly."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_TriggeredInlineProcessor(md), "inline", 20)
