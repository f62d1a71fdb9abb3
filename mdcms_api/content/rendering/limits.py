"""Cheap checks that refuse input whose rendering would take minutes or overflow the stack."""

from __future__ import annotations

import re

from mdcms_api.content.errors import ContentError

# Python-Markdown parses nested quotes and lists recursively; far below the interpreter's
# recursion limit, and deeper than any document a person writes.
MAX_NESTING = 64
# html5ever (inside nh3) takes time quadratic in the depth of unclosed block elements.
MAX_HTML_DEPTH = 512
# Python-Markdown spends ~15 us per inline token: 500,000 characters of dense markup take
# about 8 s, plain prose 0.3 s. A book-length post is ~400,000 characters.
MAX_BODY_CHARS = 500_000

_CONTAINER_CHARS = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_NESTING},}}", re.MULTILINE)
_CONTAINER_MARKER = re.compile(r"[ \t]*(?:>[ \t]?|[-*+][ \t]|\d{1,9}[.)][ \t])")
# "[^<>]" keeps an unclosed "<a <a <a" linear.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
# Elements that do not nest in practice: void ones, and ones whose end tag the parser implies.
_FLAT_TAGS = frozenset(
    re.findall(
        r"\w+",
        "area base br col embed hr img input link meta source track wbr "
        "p li dt dd tr td th option optgroup rp rt tbody thead tfoot colgroup",
    )
)


def _line_depth(line: str) -> int:
    """Count the container levels a line opens: quote and list markers, and 4-space indents."""
    indent = len(line) - len(line.lstrip(" \t"))
    depth = len(line[:indent].expandtabs(4)) // 4
    pos = 0
    while match := _CONTAINER_MARKER.match(line, pos):
        if match.end() == pos:
            break
        depth += 1
        pos = match.end()
    return depth


def _html_depth(body: str) -> int:
    depth = deepest = 0
    for closing, name, rest in _TAG.findall(body):
        if name.lower() in _FLAT_TAGS or rest.endswith("/"):
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def check_limits(body: str) -> None:
    """Raise ContentError for a body too long or nested too deeply to render safely."""
    if len(body) > MAX_BODY_CHARS:
        raise ContentError(
            f"body is {len(body):,} characters, more than the limit of {MAX_BODY_CHARS:,}"
        )
    for match in _CONTAINER_CHARS.finditer(body):
        line_end = body.find("\n", match.start())
        line = body[match.start() : line_end if line_end >= 0 else len(body)]
        if _line_depth(line) > MAX_NESTING:
            line_number = body.count("\n", 0, match.start()) + 1
            raise ContentError(f"nesting deeper than {MAX_NESTING} levels", line=line_number)
    if body.count("<") > MAX_HTML_DEPTH and _html_depth(body) > MAX_HTML_DEPTH:
        raise ContentError(f"HTML elements nested deeper than {MAX_HTML_DEPTH} levels")
