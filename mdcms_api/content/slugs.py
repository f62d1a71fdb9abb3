"""Slugs for authors and keywords: lowercase ASCII words joined by hyphens."""

from __future__ import annotations

import re

from slugify import slugify as _python_slugify

# "C", "C++" and "C#" are three languages; plain slugify would make all three "c" and merge them.
_SYMBOL_SUFFIXES = (
    (re.compile(r"(?<=\w)\+\+"), " plus plus "),
    (re.compile(r"(?<=\w)#"), " sharp "),
)


def slugify(text: str) -> str:
    """Return the slug of ``text`` ("Łukasz Nowak" -> "lukasz-nowak"); "" without letters or digits.

    python-slugify transliterates (Ł -> l, ß -> ss, 日本 -> ri-ben) where a hand-written
    NFKD-and-strip slugify silently drops letters.
    """
    for pattern, words in _SYMBOL_SUFFIXES:
        text = pattern.sub(words, text)
    return _python_slugify(text)
