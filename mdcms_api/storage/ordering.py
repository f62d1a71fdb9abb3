"""Text ordering that is the same on SQLite and PostgreSQL, whatever the server's locale."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class codepoint(FunctionElement[str]):
    """A text expression compared by code point (PostgreSQL's locale collations skip hyphens)."""

    type = String()
    inherit_cache = True


class ascii_casefold(FunctionElement[str]):
    """A text expression with A-Z lowered, compared by code point: "apple" sorts before "Banana"."""

    type = String()
    inherit_cache = True


@compiles(codepoint)
def _codepoint_default(element: codepoint, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(codepoint, "postgresql")
def _codepoint_postgresql(element: codepoint, compiler: Any, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(ascii_casefold)
def _casefold_default(element: ascii_casefold, compiler: Any, **kw: Any) -> str:
    # SQLite's lower() changes ASCII letters only, and its default collation is by code point.
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(ascii_casefold, "postgresql")
def _casefold_postgresql(element: ascii_casefold, compiler: Any, **kw: Any) -> str:
    # Under the "C" collation PostgreSQL's lower() also changes ASCII letters only.
    return f'lower(({compiler.process(element.clauses, **kw)}) COLLATE "C") COLLATE "C"'


def by_codepoint(column: ColumnElement[str]) -> ColumnElement[str]:
    """``column`` for ORDER BY, compared by code point on every backend."""
    return codepoint(column)


def by_title(column: ColumnElement[str]) -> ColumnElement[str]:
    """``column`` for ORDER BY: ASCII case ignored, otherwise by code point, on every backend."""
    return ascii_casefold(column)
