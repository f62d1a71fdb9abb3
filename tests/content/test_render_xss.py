"""An XSS corpus: every payload, in markdown, raw HTML or component options, comes out inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
import pytest

from mdcms_api.content.render import RenderSettings, SiteIndex, render_document

SETTINGS = RenderSettings(site="demo", callouts={"m": "<script>alert(1)</script>"})
INDEX = SiteIndex(documents={"pages/about.md": ("page", "about")}, assets=frozenset())

PAYLOADS = [
    # Markdown links and images
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](x.png" onerror="alert(1))',
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    # Raw HTML
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)//",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<input autofocus onfocus="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<p title="</p><script>alert(1)</script>">x</p>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="#" id="location" name="cookie">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<x onclick=alert(1)>x</x>",
    "`<script>` and ```\n<script>alert(1)</script>\n```",
    # Components: options and bodies
    "```mdcms callout-info\ntitle: <script>alert(1)</script>\nicon: x onclick=alert(1)\n```",
    "```mdcms callout-info\nmessage: m\n```",
    '```mdcms toc-page\nlimit: "\'><script>alert(1)</script>"\n```',
    "```mdcms posts-created-chronological\nlimit: 1 onmouseover=alert(1)\n```",
    '```mdcms tab\nitems:\n  - title: "<img src=x onerror=alert(1)>"\n'
    '    content: "<script>alert(1)</script>"\n```',
    '```mdcms x" onclick="alert(1)\n```',
    'Footnote^[<img src=x onerror=alert(1)>] and [x](pages/about.md"onclick=alert(1))',
]

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "form", "meta", "link", "base", "style", "svg",
    "math", "frame", "frameset", "applet", "template", "noscript", "textarea", "select",
    "button",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "xlink:href", "formaction", "action", "name"}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "background", "poster"}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)


class _Inspector(HTMLParser):
    """Collects every problem an element or attribute of the output would cause."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"tag {tag}")
        names = {name for name, _ in attrs}
        if tag == "input" and not {"disabled", "type"} <= names:
            self.problems.append("enabled input")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                self.problems.append(f"attribute {name}")
            # As a browser's URL parser: trim C0 controls and spaces, drop tabs and newlines.
            url = re.sub(r"[\t\n\r]", "", value.strip(_C0_AND_SPACE))
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(url):
                self.problems.append(f"url {value}")
            if name == "id" and not value.startswith("h-"):
                self.problems.append(f"unprefixed id {value}")
            if tag == "input" and name == "type" and value != "checkbox":
                self.problems.append(f"input type {value}")


def problems(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert(payload):
    rendered = render_document(
        payload, path="posts/2024-01-01-a.md", description=None, settings=SETTINGS, index=INDEX
    )
    assert problems(rendered.html) == [], rendered.html
    # A second parse of the output (as a browser re-serializing it would) finds nothing either.
    assert problems(nh3.clean(rendered.html)) == []


def test_inspector_catches_what_it_should():
    found = problems('<a href=" JavaScript:x" onclick="y">')
    assert sorted(found) == ["attribute onclick", "url  JavaScript:x"]
    found = problems('<p id="location"><input type="text">')
    assert sorted(found) == ["enabled input", "input type text", "unprefixed id location"]


def test_escaped_script_text_stays_text():
    html = render_document(
        "`<script>alert(1)</script>`",
        path="posts/a.md",
        description=None,
        settings=SETTINGS,
        index=INDEX,
    ).html
    assert html == "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>"
