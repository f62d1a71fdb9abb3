"""mdcms components: static ones become semantic HTML, live ones placeholders plus data."""

from __future__ import annotations

import json
import re

from mdcms_api.content.render import RenderSettings, SiteIndex, render_document

SETTINGS = RenderSettings(site="demo", callouts={"beta": "This feature is **beta**."})
INDEX = SiteIndex(documents={"pages/about.md": ("page", "about")}, assets=frozenset())


def render(body: str):
    return render_document(
        body, path="posts/2024-01-01-a.md", description=None, settings=SETTINGS, index=INDEX
    )


def test_callout_with_title_and_markdown_body():
    html = render("```mdcms callout-info\ntitle: Heads up\n\nRead **this**.\n```").html
    assert html == (
        '<aside class="callout callout-info" role="note">\n'
        '<p class="callout-title"><strong>Heads up</strong></p>\n'
        "<p>Read <strong>this</strong>.</p>\n"
        "</aside>"
    )


def test_callout_name_on_the_first_line_and_every_kind():
    for kind in ("info", "warning", "success", "error"):
        html = render(f"```mdcms\ncallout-{kind}\nBody\n```").html
        assert f'<aside class="callout callout-{kind}" role="note">' in html


def test_callout_message_resolved_from_settings():
    rendered = render("```mdcms callout-warning\nmessage: beta\n```")
    assert "<p>This feature is <strong>beta</strong>.</p>" in rendered.html
    assert rendered.warnings == []


def test_unknown_callout_message_warns():
    rendered = render("```mdcms callout-warning\nmessage: nope\n\nBody\n```")
    assert rendered.warnings == ["unknown callout message 'nope'"]
    assert "<p>Body</p>" in rendered.html


def test_callout_title_is_escaped_and_icon_becomes_a_class():
    html = render(
        "```mdcms callout-info\ntitle: <img src=x onerror=alert(1)>\nicon: bulb\n```"
    ).html
    assert "callout-icon-bulb" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html


def test_callout_body_links_and_code_render():
    html = render("```mdcms callout-info\nSee [about](pages/about.md).\n\n    code\n```").html
    assert 'data-mdcms-slug="about"' in html
    assert "<pre><code>code</code></pre>" in html


TABS = """```mdcms tab-underline
items:
  - title: One
    content: |
      First **tab**
  - title: Two
    default: true
    content: Second
```"""


def test_tabs_are_details_with_the_default_open():
    html = render(TABS).html
    assert html == (
        '<div class="tabs tabs-underline">\n'
        '<details class="tab">\n<summary>One</summary>\n<p>First <strong>tab</strong></p>\n'
        "</details>\n"
        '<details class="tab" open="">\n<summary>Two</summary>\n<p>Second</p>\n</details>\n'
        "</div>"
    )


def test_tabs_without_default_open_the_first():
    html = render(
        "```mdcms tab\nitems:\n  - title: A\n    content: a\n  - title: B\n    content: b\n```"
    ).html
    assert re.search(r'<details class="tab" open="">\s*<summary>A</summary>', html)
    assert '<details class="tab">\n<summary>B</summary>' in html


def test_accordion_opens_only_defaults():
    body = (
        "```mdcms accordion-filled\nitems:\n  - title: Q1\n    content: A1\n"
        "  - title: Q2\n    content: A2\n    default: yes\n```"
    )
    html = render(body).html
    assert '<div class="accordion accordion-filled">' in html
    assert '<details class="accordion-item">\n<summary>Q1</summary>' in html
    assert '<details class="accordion-item" open="">\n<summary>Q2</summary>' in html


def test_tab_content_can_hold_code_and_headings():
    body = (
        "```mdcms tab\nitems:\n  - title: T\n    content: |\n      ## Inside\n\n"
        "      ```python\n      x = 1\n      ```\n```"
    )
    rendered = render(body)
    assert '<pre><code class="language-python">x = 1</code></pre>' in rendered.html
    assert rendered.toc[0]["id"] == "h-inside"


def test_bad_yaml_warns_and_shows_code():
    rendered = render("```mdcms accordion\nitems:\n  - title: [unclosed\n```\n\nAfter")
    assert rendered.warnings[0].startswith("accordion: invalid YAML")
    assert (
        '<pre><code class="language-mdcms">accordion\nitems:\n  - title: [unclosed</code></pre>'
        in rendered.html
    )
    assert "<p>After</p>" in rendered.html


def test_items_that_are_not_a_list_warn():
    rendered = render("```mdcms tab\nitems: just text\n```")
    assert rendered.warnings == ["tab: expected a YAML list of items:; shown as code"]


def test_yaml_alias_expansion_is_refused():
    body = (
        "```mdcms tab\nitems:\n  - &a {title: x, content: "
        + "y" * 200
        + "}\n"
        + "  - *a\n" * 50
        + "```"
    )
    rendered = render(body)
    assert "too many or repeated items" in rendered.warnings[0]


def test_live_components_become_placeholders_and_data():
    body = (
        "```mdcms posts-created-reversechronological-byyear\nlimit: 5\npaginate: true\n```\n\n"
        "```mdcms toc-section guides\n```\n\n"
        "```mdcms\ntoc\n```"
    )
    rendered = render(body)
    assert rendered.components == [
        {
            "name": "posts-created-reversechronological-byyear",
            "options": {"limit": 5, "paginate": True},
            "position": 0,
        },
        {"name": "toc-section", "options": {"section": "guides"}, "position": 1},
        {"name": "toc", "options": {}, "position": 2},
    ]
    match = re.search(
        r'<div class="mdcms-component"'
        r' data-mdcms-component="posts-created-reversechronological-byyear"'
        r' data-mdcms-options="([^"]*)"></div>',
        rendered.html,
    )
    assert match
    options = json.loads(match[1].replace("&quot;", '"'))
    assert options == {"limit": 5, "paginate": True}


def test_toc_page_is_filled_from_the_headings():
    rendered = render("```mdcms toc-page\n```\n\n## One\n\n### One a\n\n## Two")
    assert (
        '<div class="mdcms-component" data-mdcms-component="toc-page" data-mdcms-options="{}">'
        '<nav class="toc"><ul><li><a href="#h-one" rel="noopener noreferrer">One</a>'
        '<ul><li><a href="#h-one-a" rel="noopener noreferrer">One a</a></li></ul></li>'
        '<li><a href="#h-two" rel="noopener noreferrer">Two</a></li></ul></nav></div>'
    ) in rendered.html
    assert rendered.components == [{"name": "toc-page", "options": {}, "position": 0}]
    # The filled toc repeats the headings; it is not part of the text.
    assert rendered.text == "One\nOne a\nTwo"


def test_unknown_component_warns_with_a_placeholder():
    rendered = render("```mdcms frobnicate\n```")
    assert rendered.warnings == ["unknown mdcms component 'frobnicate'"]
    assert 'data-mdcms-component="frobnicate"' in rendered.html
    assert rendered.components == []


def test_component_without_a_name_warns():
    rendered = render("```mdcms\n```")
    assert rendered.warnings == ["mdcms component without a name"]


def test_ordinary_fences_are_not_components():
    html = render("```yaml\nmdcms: x\n```").html
    assert html == '<pre><code class="language-yaml">mdcms: x</code></pre>'
