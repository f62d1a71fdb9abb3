"""Slugs for authors and keywords: lowercase ASCII words joined by hyphens."""

from __future__ import annotations

from slugify import slugify as _python_slugify


def slugify(text: str) -> str:
    """Return the slug of ``text`` ("Łukasz Nowak" -> "lukasz-nowak"); "" without letters or digits.

    python-slugify transliterates (Ł -> l, ß -> ss, 日本 -> ri-ben) where a hand-written
    NFKD-and-strip slugify silently drops letters.
    """
    return _python_slugify(text)
