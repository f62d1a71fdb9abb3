"""Lists in pages: page arguments to a window, the ``pagination`` object and the Link header."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request

from mdcms_api.storage.listing import Listing, Window


def window(args: Mapping[str, Any]) -> Window:
    """The rows that ``page`` and ``page_size`` ask for."""
    return Window(offset=(args["page"] - 1) * args["page_size"], limit=args["page_size"])


def _page_url(page: int) -> str:
    # Every other parameter is kept, repeated ones included, so a link shows the same list.
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    return f"{request.base_url}?{urlencode([*pairs, ('page', page)])}"


def _link_header(pages: Mapping[str, int | None]) -> str:
    return ", ".join(f'<{_page_url(page)}>; rel="{rel}"' for rel, page in pages.items() if page)


def paginated(
    listing: Listing[Any], args: Mapping[str, Any], items: Sequence[Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The list body ``{items, pagination}`` and its Link header (first, prev, next, last).

    ``items`` replaces ``listing.items`` when the view reshaped them. A page past the last is
    an empty list whose ``previous_page`` is the last page.
    """
    page, size, total = args["page"], args["page_size"], listing.total
    total_pages = -(-total // size)
    last = max(total_pages, 1)
    links = {
        "first": 1,
        "prev": min(page - 1, last) if page > 1 else None,
        "next": page + 1 if page < total_pages else None,
        "last": last,
    }
    body = {
        "items": listing.items if items is None else items,
        "pagination": {
            "page": page,
            "page_size": size,
            "total": total,
            "total_pages": total_pages,
            "next_page": links["next"],
            "previous_page": links["prev"],
        },
    }
    return body, {"Link": _link_header(links)}
