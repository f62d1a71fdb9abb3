"""Highlighting: how backends mark matches in a passage, and how it becomes safe HTML."""

from __future__ import annotations

import html

# The database wraps matches in these control characters, never in HTML, so that the text
# around them can be escaped afterwards. Indexed text is stripped of them (see indexed_body).
START = "\x02"
STOP = "\x03"
# Bodies are indexed up to this many characters: it bounds snippet work, and PostgreSQL
# refuses a tsvector over 1 MB. The migration that backfills the index cuts at the same length.
MAX_INDEXED_CHARS = 200_000


def indexed_body(text: str) -> str:
    """The part of a document's plain text the index holds, without marker characters."""
    return text.replace(START, "").replace(STOP, "")[:MAX_INDEXED_CHARS]


def marked_html(passage: str) -> str:
    """Escape ``passage`` as HTML and turn its markers into ``<mark>`` elements."""
    escaped = html.escape(passage, quote=False)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")
