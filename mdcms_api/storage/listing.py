"""One page of a list query: the rows in a window, and the total they were cut from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

T = TypeVar("T")

# The order of a searched list: best match first. Only a list with a search query has it.
RELEVANCE = "relevance"


@dataclass(frozen=True)
class Window:
    """Which rows of an ordered result to fetch: ``limit`` rows after skipping ``offset``."""

    offset: int
    limit: int


@dataclass(frozen=True)
class Listing(Generic[T]):
    """The rows of one window and the number of rows in the whole result."""

    items: Sequence[T]
    total: int


def fetch_window(
    session: Session, rows: Select[Any], count: Select[Any], window: Window, *, scalars: bool = True
) -> Listing[Any]:
    """Run ``count`` (one integer: the rows of ``rows``), then fetch the window of ``rows``.

    A window past the end is not sent to the database at all: an offset beyond the total
    returns nothing anyway, and huge offsets overflow SQLite.
    """
    total = session.scalar(count) or 0
    if window.offset >= total:
        return Listing(items=[], total=total)
    result = session.execute(rows.offset(window.offset).limit(window.limit))
    items = result.scalars().all() if scalars else result.all()
    return Listing(items=items, total=total)
