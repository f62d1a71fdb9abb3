"""Fields derived from a rendered document: plain text, excerpt, table of contents, counts."""

from __future__ import annotations

import html
import math
import re

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
# Runs of spaces, tabs and no-break spaces, except a lone space (which stays as it is).
_SPACES = re.compile(r"[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*| [ \t\r\f\v\u00a0]+")
# Sanitized HTML is regular: html5ever writes lowercase tags, double-quoted attribute values
# with no raw '"' inside, no comments, and escapes '<' and '&' in text.
_ATTRIBUTES = r'(?:[^>"]|"[^"]*")*'
_TOKEN = re.compile(rf"<(/?)([a-zA-Z][^\s/>]*)({_ATTRIBUTES})>|[^<]+|<")  # a tag, or text
_TAG_NAME = re.compile(rf"</?([a-zA-Z][^\s/>]*){_ATTRIBUTES}>")
_CLASS = re.compile(r'\sclass="([^"]*)"')
# Text that every element with a skipped class contains (as does, rarely, other text).
_SKIPPED_MARKERS = ("footnote-", "toc")


def _normalize(text: str) -> str:
    """Collapse spaces; whitespace around line breaks and blank lines become one line break."""
    lines = _SPACES.sub(" ", text).split("\n")
    return "\n".join(filter(None, (line.strip() for line in lines)))


def _walk(fragment: str, *, whole: bool) -> tuple[list[str], list[str] | None]:
    """Return the text pieces of ``fragment`` and those of its first top-level paragraph.

    Unless ``whole``, stop at the end of that paragraph (the pieces are then incomplete).
    """
    parts: list[str] = []
    first_paragraph: list[str] | None = None
    stack: list[tuple[str, bool]] = []  # open elements: (tag, whether its text is skipped)
    skip_depth = 0
    in_first_paragraph = False
    for token in _TOKEN.finditer(fragment):
        closing, tag, attributes = token.groups()
        if tag is None:
            if not skip_depth:
                data = token[0]
                data = html.unescape(data) if "&" in data else data
                parts.append(data)
                if in_first_paragraph:
                    first_paragraph.append(data)
            continue
        tag = tag.lower()
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if closing:
            # Pop to the matching open tag; sanitized HTML is well formed, so this is exact.
            while stack:
                open_tag, skipped = stack.pop()
                skip_depth -= skipped
                if open_tag == tag:
                    break
            if not stack:
                if in_first_paragraph and not whole:
                    break
                in_first_paragraph = False
            continue
        if tag in _VOID_TAGS:
            continue
        classes = _CLASS.search(attributes)
        skipped = bool(classes and _SKIPPED_CLASSES.intersection(classes[1].split()))
        if tag == "p" and not stack and first_paragraph is None:
            first_paragraph = []
            in_first_paragraph = True
        stack.append((tag, skipped))
        skip_depth += skipped
    return parts, first_paragraph


def extract_text(fragment: str) -> tuple[str, str]:
    """Return the plain text of sanitized HTML and the text of its first top-level paragraph."""
    skips = any(marker in fragment for marker in _SKIPPED_MARKERS)
    parts, first_paragraph = _walk(fragment, whole=skips)
    if skips:
        text = "".join(parts)
    else:
        # Nothing to skip: the same text comes from dropping the tags, each block tag leaving a
        # line break. html5ever escapes every "&" in text, so unescaping once is the same.
        pieces = _TAG_NAME.split(fragment)  # text, tag name, text, ..., text
        pieces[1::2] = ["\n" if name.lower() in _BLOCK_TAGS else "" for name in pieces[1::2]]
        text = html.unescape("".join(pieces))
    first = _normalize("".join(first_paragraph or ())).replace("\n", " ")
    return _normalize(text), first


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
