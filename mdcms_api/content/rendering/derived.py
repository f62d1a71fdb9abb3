"""Fields derived from a rendered document: plain text, excerpt, table of contents, counts."""

from __future__ import annotations

import html
import math
import re
from html.parser import HTMLParser

from mdcms_api.content.rendering.sanitize import ID_PREFIX

EXCERPT_MAX_CHARS = 300
WORDS_PER_MINUTE = 230

_BLOCK_TAGS = frozenset(
    re.findall(
        r"\w+",
        "address article aside blockquote br caption dd details div dl dt figcaption figure "
        "footer h1 h2 h3 h4 h5 h6 header hr li nav ol p pre section summary table tbody td th "
        "thead tr ul",
    )
)
_VOID_TAGS = frozenset(
    re.findall(r"\w+", "area base br col embed hr img input link meta source track wbr")
)
# Text a reader does not read as prose: footnote markers, back-arrows and filled tables of
# contents (which repeat the headings).
_SKIPPED_CLASSES = frozenset({"footnote-ref", "footnote-backref", "toc"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, block by block, and its first top-level paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.first_paragraph: list[str] | None = None
        self._stack: list[tuple[str, bool]] = []
        self._skip_depth = 0
        self._in_first_paragraph = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = bool(classes & _SKIPPED_CLASSES)
        if tag == "p" and not self._stack and self.first_paragraph is None:
            self.first_paragraph = []
            self._in_first_paragraph = True
        self._stack.append((tag, skipped))
        self._skip_depth += skipped

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        # Pop to the matching open tag; sanitized HTML is well formed, so this is exact.
        while self._stack:
            open_tag, skipped = self._stack.pop()
            self._skip_depth -= skipped
            if open_tag == tag:
                break
        if not self._stack:
            self._in_first_paragraph = False

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        self.parts.append(data)
        if self._in_first_paragraph and self.first_paragraph is not None:
            self.first_paragraph.append(data)


def _normalize(text: str) -> str:
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def extract_text(fragment: str) -> tuple[str, str]:
    """Return the plain text of an HTML fragment and the text of its first top-level paragraph."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = _normalize("".join(parser.parts))
    first = _normalize("".join(parser.first_paragraph or ())).replace("\n", " ")
    return text, first


def truncate_words(text: str, limit: int = EXCERPT_MAX_CHARS) -> str:
    """Cut ``text`` to at most ``limit`` characters on a word boundary, ending with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "…"


def excerpt(description: str | None, first_paragraph: str, text: str) -> str:
    """Return the description if given, else the first paragraph (else the text), shortened."""
    if description and description.strip():
        return truncate_words(description)
    return truncate_words(first_paragraph or text)


def toc_from_tokens(tokens: list[dict]) -> list[dict]:
    """Convert Python-Markdown ``toc_tokens`` into the API's nested table of contents."""
    return [
        {
            "level": token["level"],
            "id": ID_PREFIX + token["id"],
            "title": html.unescape(token["name"]),
            "children": toc_from_tokens(token["children"]),
        }
        for token in tokens
    ]


def reading_time(word_count: int) -> int:
    """Return whole minutes to read ``word_count`` words, at least one."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))
