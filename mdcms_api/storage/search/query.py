"""The search query language: parsing what a reader typed into a backend-neutral query.

Rules (the same on every backend):

- Words separated by spaces must all match: ``static site`` finds documents with both.
- ``"exact phrase"`` matches the words next to each other, in order. A quote left open runs
  to the end of the query.
- ``OR`` (upper case) between two terms matches either: ``markdown OR asciidoc``. It binds
  tighter than the implicit AND, so ``a OR b c`` means (a or b) and c. An ``OR`` with no term on
  one side is ignored; a lower-case ``or`` is an ordinary word.
- ``-word`` or ``-"a phrase"`` excludes documents that match it. A query needs at least one
  term that is not excluded.
- ``word*`` matches words that start with ``word``; ``"a phrase"*`` applies it to the last word.
- Anything else is text, not syntax: punctuation inside a word is left to the database's word
  splitting (so ``title:foo`` and ``NEAR(a b)`` search for those words), and a word without any
  letter or digit (``--``, ``;``, an emoji alone) is skipped.
- Matching folds case and accents and stems words: ``cafe`` finds ``café``, ``running`` finds
  ``run``. Prefixes match stemmed words, so ``runn*`` does not find ``running``.

A query longer than MAX_QUERY_LENGTH characters, one containing control characters (NUL
included) or lone surrogates, or one with nothing left to search for raises QueryError, whose
message is meant for the reader (a 400 problem's ``detail``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 256
OR = "OR"
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")


class QueryError(ValueError):
    """The query cannot be searched for; ``message`` says why, in words for the reader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Term:
    """One word or an exact phrase; ``prefix`` makes its last word match as a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """Every group must match (a group matches if any of its terms does); no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


@dataclass(frozen=True)
class _Item:
    """A term as written, before OR is resolved."""

    term: Term | None  # None for the OR keyword
    negated: bool = False


def parse_query(text: str) -> Query:
    """Parse ``text`` in the query language above; raise QueryError if it cannot be searched."""
    _check_characters(text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    items = _scan(text)
    for index, item in enumerate(items):
        if item.term is None:
            continue  # an OR keyword: acted on when the term after it is reached
        if item.negated:
            excluded.append(item.term)
        elif groups and _joined_by_or(items, index):
            groups[-1].append(item.term)
        else:
            groups.append([item.term])
    if not groups:
        raise QueryError(
            "the query only excludes words: add a word to search for"
            if excluded
            else "the query has no words to search for"
        )
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


def _check_characters(text: str) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"the query is {len(text):,} characters long; the maximum is {MAX_QUERY_LENGTH}"
        )
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in _WHITESPACE_CONTROLS:
            raise QueryError(f"the query contains a control character (U+{ord(char):04X})")
        if category == "Cs":
            raise QueryError(f"the query contains a lone surrogate (U+{ord(char):04X})")


def _joined_by_or(items: list[_Item], index: int) -> bool:
    """Whether the term at ``index`` follows ``included-term OR``."""
    if index < 2 or items[index - 1].term is not None:
        return False
    before = items[index - 2]
    return before.term is not None and not before.negated


def _scan(text: str) -> list[_Item]:
    items: list[_Item] = []
    position, end = 0, len(text)
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        if negated:
            position += 1
        if position < end and text[position] == '"':
            closing = text.find('"', position + 1)
            closing = end if closing == -1 else closing
            raw = text[position + 1 : closing]
            position = closing + 1
            prefix = position < end and text[position] == "*"
            position += prefix
        else:
            stop = position
            while stop < end and not text[stop].isspace() and text[stop] != '"':
                stop += 1
            raw, position = text[position:stop], stop
            if raw == OR and not negated:
                items.append(_Item(None))
                continue
            prefix = raw.endswith("*")
            raw = raw.rstrip("*")
        words = tuple(word for word in raw.split() if _searchable(word))
        if words:
            items.append(_Item(Term(words, prefix), negated))
    return items


def _searchable(word: str) -> bool:
    """A word with a letter or a digit in it: every backend's tokenizer finds a token there."""
    return any(char.isalnum() for char in word)
