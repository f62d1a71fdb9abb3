"""``^[inline footnotes]``: rewritten into regular footnotes before Python-Markdown parses them."""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# What the scanner stops at: a code span's backticks (skipped whole) or an inline footnote.
_INTERESTING = re.compile(r"`+|\^\[")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LABEL = "inline-{}"
# Bounds the search for a closing bracket, so "^[^[^[..." cannot take quadratic time.
MAX_NOTE_CHARS = 4000


def _closing_bracket(text: str, start: int) -> int:
    """Return the index of the ``]`` balancing the ``[`` before ``start``, or -1.

    Backslash-escaped brackets do not count, and a blank line ends the search because a
    footnote cannot span paragraphs.
    """
    depth = 1
    i = start
    stop = min(len(text), start + MAX_NOTE_CHARS)
    while i < stop:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        elif char == "\n" and _BLANK_LINE.match(text, i):
            return -1
        i += 1
    return -1


def convert_inline_footnotes(text: str) -> str:
    """Return ``text`` with each ``^[note]`` replaced by ``[^inline-N]`` plus a definition."""
    if "^[" not in text:
        return text
    out: list[str] = []
    notes: list[str] = []
    pos = 0
    number = 0
    while match := _INTERESTING.search(text, pos):
        if match[0].startswith("`"):
            # A code span ends at the next run of exactly as many backticks.
            closer = re.compile(rf"(?<!`){re.escape(match[0])}(?!`)")
            end_match = closer.search(text, match.end())
            end = end_match.end() if end_match else match.end()
            out.append(text[pos:end])
            pos = end
            continue
        end = _closing_bracket(text, match.end())
        if end < 0:
            out.append(text[pos : match.end()])
            pos = match.end()
            continue
        number += 1
        while f"[^{_LABEL.format(number)}]" in text:
            number += 1
        label = _LABEL.format(number)
        out.append(f"{text[pos : match.start()]}[^{label}]")
        notes.append(f"[^{label}]: " + " ".join(text[match.end() : end].split()))
        pos = end + 1
    out.append(text[pos:])
    if notes:
        out.extend(["\n\n", "\n\n".join(notes), "\n"])
    return "".join(out)


class _InlineFootnotePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return convert_inline_footnotes("\n".join(lines)).split("\n")


class InlineFootnoteExtension(Extension):
    """Adds ``^[...]`` inline footnotes on top of the footnotes extension."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After superfences (25) stashed fenced code, before raw HTML blocks are stashed (20),
        # so notes inside component bodies (md_in_html) are converted too.
        md.preprocessors.register(_InlineFootnotePreprocessor(md), "mdcms-inline-footnotes", 22)
