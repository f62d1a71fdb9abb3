"""extract_text reads sanitized HTML exactly as a real HTML parser would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from mdcms_api.content.rendering.derived import (
    _BLOCK_TAGS,
    _SKIPPED_CLASSES,
    _VOID_TAGS,
    _normalize,
    extract_text,
)
from mdcms_api.content.rendering.sanitize import sanitize


class _Reference(HTMLParser):
    """The oracle: the same rules, applied to html.parser's events."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.first: list[str] | None = None
        self.stack: list[tuple[str, bool]] = []
        self.skip = 0
        self.in_first = False

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _VOID_TAGS:
            return
        skipped = bool(set((dict(attrs).get("class") or "").split()) & _SKIPPED_CLASSES)
        if tag == "p" and not self.stack and self.first is None:
            self.first, self.in_first = [], True
        self.stack.append((tag, skipped))
        self.skip += skipped

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        while self.stack:
            open_tag, skipped = self.stack.pop()
            self.skip -= skipped
            if open_tag == tag:
                break
        if not self.stack:
            self.in_first = False

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
            if self.in_first:
                self.first.append(data)


def _reference(fragment: str) -> tuple[str, str]:
    parser = _Reference()
    parser.feed(fragment)
    parser.close()
    first = _normalize("".join(parser.first or ())).replace("\n", " ")
    return _normalize("".join(parser.parts)), first


PIECES = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    '<sup class="footnote-ref">',
    "</sup>",
    '<a class="footnote-backref" href="#x">',
    '<nav class="toc">',
    "</nav>",
    "</a>",
    "<br>",
    "<br/>",
    "<img src=x alt='a>b'>",
    '<span title="a > b &quot; class=&quot;toc&quot;">',
    ' class="toc" ',
    '<abbr title=\'x" class="toc\'>',
    "<li>",
    "<pre>\n",
    "<table><tr><td>",
    "<script>x</script>",
    "<!-- c -->",
    "&amp;",
    "&nbsp;",
    "&lt;b&gt;",
    "&#60;",
    "&",
    "<",
    ">",
    "\n\n",
    "  ",
    "word",
    "é",
]


# Without the classes whose text is skipped, extract_text takes its shortcut.
UNSKIPPED = [piece for piece in PIECES if "class=" not in piece]


@given(st.lists(st.sampled_from(PIECES), max_size=30) | st.lists(st.sampled_from(UNSKIPPED)))
def test_extract_text_agrees_with_html_parser(pieces):
    fragment = sanitize("".join(pieces))
    assert extract_text(fragment) == _reference(fragment)


def test_skipped_text_and_first_paragraph():
    fragment = sanitize(
        '<div><p>inner</p></div><p>First <sup class="footnote-ref">1</sup>one &amp; '
        'only.</p><nav class="toc"><ul><li>Heading</li></ul></nav><p>Second.</p>'
    )
    assert extract_text(fragment) == ("inner\nFirst one & only.\nSecond.", "First one & only.")


@given(st.text(alphabet=" \t\n\r\f\v\u00a0\x1c\x85\u2028\u3000ab"))
def test_normalize_collapses_spaces_and_blank_lines(text):
    spaces = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    assert _normalize(text) == re.sub(r"\s*\n\s*", "\n", spaces).strip()
