"""Golden tests for the renderer: GFM features, sanitizing and derived fields."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from mdcms_api.content.errors import ContentError
from mdcms_api.content.render import (
    Rendered,
    RenderSettings,
    SiteIndex,
    render_document,
)

SETTINGS = RenderSettings(site="demo")
EMPTY = SiteIndex(documents={}, assets=frozenset())


def render(body: str, *, description: str | None = None, path: str = "posts/2024-01-01-a.md"):
    return render_document(body, path=path, description=description, settings=SETTINGS, index=EMPTY)


def test_paragraph_and_emphasis():
    assert render("Hello *world*").html == "<p>Hello <em>world</em></p>"


def test_table_uses_align_attribute_not_style():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |").html
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html


def test_strikethrough():
    assert render("~~gone~~").html == "<p><del>gone</del></p>"


def test_task_list_checkboxes_are_disabled():
    html = render("- [x] done\n- [ ] todo").html
    assert '<ul class="task-list">' in html
    checked = '<input checked="" disabled="" type="checkbox">'
    assert f'<li class="task-list-item">{checked} done</li>' in html
    unchecked = '<input disabled="" type="checkbox">'
    assert f'<li class="task-list-item">{unchecked} todo</li>' in html


def test_checkbox_html_is_the_same_in_every_process():
    # nh3 orders forced attributes by a hash map seeded per process; workers must agree.
    script = (
        "from mdcms_api.content.rendering.sanitize import sanitize;"
        "print(sanitize('<input type=checkbox checked> <input>'))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(10)
    }
    assert outputs == {
        '<input checked="" disabled="" type="checkbox"> <input disabled="" type="checkbox">\n'
    }


def test_bare_url_autolink_gets_rel():
    html = render("See https://example.com/x today").html
    assert html == (
        '<p>See <a href="https://example.com/x" rel="noopener noreferrer">'
        "https://example.com/x</a> today</p>"
    )


def test_fenced_code_has_language_class():
    html = render("```python\nx = 1 < 2\n```").html
    assert html == '<pre><code class="language-python">x = 1 &lt; 2</code></pre>'


def test_heading_ids_are_unique_and_prefixed():
    html = render("## Intro\n\n## Intro\n\n## Café & co").html
    assert '<h2 id="h-intro">Intro</h2>' in html
    assert '<h2 id="h-intro_1">Intro</h2>' in html
    assert '<h2 id="h-café-co">Café &amp; co</h2>' in html


def test_footnotes_ids_and_links_share_the_prefix():
    html = render("Text[^1]\n\n[^1]: The note.").html
    assert '<sup id="h-fnref:1"><a class="footnote-ref" href="#h-fn:1"' in html
    assert '<li id="h-fn:1">' in html
    assert 'href="#h-fnref:1"' in html


def test_same_page_fragment_links_get_the_prefix():
    html = render("## Setup\n\n[go](#setup)").html
    assert 'id="h-setup"' in html
    assert 'href="#h-setup"' in html


def test_harmless_raw_html_survives():
    source = (
        "<kbd>Ctrl</kbd> H<sub>2</sub>O x<sup>2</sup> <mark>m</mark> "
        '<abbr title="HyperText">HTML</abbr> <ins>i</ins> <del>d</del> <s>s</s>\n\n'
        "<details>\n<summary>More</summary>\nHidden\n</details>\n\n"
        "<dl><dt>T</dt><dd>D</dd></dl>\n\n"
        '<figure><img src="https://example.com/a.png" alt="a"><figcaption>C</figcaption></figure>'
    )
    html = render(source).html
    for fragment in (
        "<kbd>Ctrl</kbd>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        "<mark>m</mark>",
        '<abbr title="HyperText">HTML</abbr>',
        "<ins>i</ins>",
        "<del>d</del>",
        "<s>s</s>",
        "<summary>More</summary>",
        "<dt>T</dt><dd>D</dd>",
        "<figcaption>C</figcaption>",
    ):
        assert fragment in html


def test_classes_are_filtered_to_the_allow_list():
    html = render('<div class="evil callout-info tabs mdcms-x hidden">x</div>').html
    assert '<div class="callout-info tabs mdcms-x">x</div>' in html


def test_rendered_is_the_public_dataclass():
    assert isinstance(render("x"), Rendered)


# Derived fields


def test_toc_is_nested_with_prefixed_ids():
    toc = render("# A\n\n## B\n\n### C\n\n## D & E").toc
    assert toc == [
        {
            "level": 1,
            "id": "h-a",
            "title": "A",
            "children": [
                {
                    "level": 2,
                    "id": "h-b",
                    "title": "B",
                    "children": [{"level": 3, "id": "h-c", "title": "C", "children": []}],
                },
                {"level": 2, "id": "h-d-e", "title": "D & E", "children": []},
            ],
        }
    ]


def test_text_has_no_markup_and_separates_blocks():
    rendered = render("# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\nx[^n]\n\n[^n]: note")
    assert rendered.text == "Title\nSome bold and code.\none\ntwo\nx\nnote"
    assert "*" not in rendered.text and "<" not in rendered.text


def test_excerpt_prefers_description():
    assert render("First para.", description="  The summary. ").excerpt == "The summary."


def test_excerpt_is_first_top_level_paragraph():
    rendered = render("# Heading\n\n> quoted\n\nFirst *real* paragraph.\n\nSecond.")
    assert rendered.excerpt == "First real paragraph."


def test_excerpt_is_cut_on_a_word_boundary():
    excerpt = render("word " * 200).excerpt
    assert len(excerpt) <= 300
    assert excerpt.endswith("word…")


def test_word_count_and_reading_time():
    rendered = render("word " * 461)
    assert rendered.word_count == 461
    assert rendered.reading_time_minutes == 3
    assert render("").reading_time_minutes == 1


def test_empty_body():
    rendered = render("")
    assert (rendered.html, rendered.text, rendered.excerpt, rendered.toc) == ("", "", "", [])


# Isolation and limits


def test_link_references_do_not_leak_between_documents():
    first = render("[a][ref]\n\n[ref]: https://example.com/secret")
    assert "https://example.com/secret" in first.html
    second = render("[a][ref]")
    assert "secret" not in second.html
    assert second.html == "<p>[a][ref]</p>"


def test_footnotes_do_not_leak_between_documents():
    render("x[^1]\n\n[^1]: first document note")
    assert "first document note" not in render("y").html


def test_deep_blockquotes_raise_content_error():
    with pytest.raises(ContentError, match="nesting deeper than"):
        render("> " * 5000 + "x")


@pytest.mark.parametrize("marker", ["- ", "* ", "1. ", "> - "])
def test_deep_lists_on_one_line_raise_content_error(marker):
    with pytest.raises(ContentError, match="nesting deeper than"):
        render(marker * 5000 + "x")


def test_deep_indented_lists_raise_content_error():
    body = "\n".join("    " * level + "- item" for level in range(200))
    with pytest.raises(ContentError, match="nesting deeper than") as info:
        render(body)
    assert info.value.line == 65


def test_deep_raw_html_raises_content_error():
    with pytest.raises(ContentError, match="HTML elements nested deeper"):
        render("<div>" * 100_000)


def test_moderate_nesting_renders():
    html = render("> " * 20 + "deep").html
    assert html.count("<blockquote>") == 20


def test_ten_megabyte_body_is_refused_quickly():
    with pytest.raises(ContentError) as info:
        render("lorem ipsum dolor\n\n" * 600_000)
    assert info.value.path == "posts/2024-01-01-a.md"


def test_large_body_under_the_limit_renders():
    rendered = render("Some words in a paragraph.\n\n" * 16_000)
    assert rendered.word_count == 80_000


def test_fingerprint_changes_with_settings():
    base = RenderSettings(site="demo")
    assert base.fingerprint() == RenderSettings(site="demo").fingerprint()
    assert base.fingerprint() != RenderSettings(site="other").fingerprint()
    assert base.fingerprint() != RenderSettings(site="demo", callouts={"x": "y"}).fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", base.fingerprint())


# Inline footnotes


def test_inline_footnote_becomes_a_numbered_footnote():
    html = render("Claim^[Source: *the* book.] and more[^n].\n\n[^n]: Named.").html
    assert '<sup id="h-fnref:inline-1"><a class="footnote-ref" href="#h-fn:inline-1"' in html
    assert re.search(r'<li id="h-fn:inline-1">\s*<p>Source: <em>the</em> book\.', html)
    # Numbered in reading order: the inline note first, the named one second.
    assert re.search(r'href="#h-fn:inline-1"[^>]*>1</a>', html)
    assert re.search(r'href="#h-fn:n"[^>]*>2</a>', html)


def test_inline_footnote_with_nested_brackets_and_newline():
    text = render("A^[see [the docs](https://example.com)\nfor more] B").text
    assert text == "A B\nsee the docs for more"


def test_inline_footnote_syntax_in_code_is_left_alone():
    html = render("`^[not a note]`\n\n```\n^[nor this]\n```").html
    assert "<code>^[not a note]</code>" in html
    assert "<code>^[nor this]</code>" in html
    assert "footnote" not in html


def test_unclosed_inline_footnote_stays_text():
    assert render("x ^[open\n\nnext]").html == "<p>x ^[open</p>\n<p>next]</p>"


def test_inline_footnote_label_avoids_existing_labels():
    html = render("a^[inline] b[^inline-1]\n\n[^inline-1]: Writer's own.").html
    assert "Writer's own." in html
    assert '<li id="h-fn:inline-2">' in html


# Pathological inline markup stays fast


@pytest.mark.parametrize(
    "body",
    [
        "[" * 8000,
        "![" * 8000,
        "^[" * 8000,
        "[x](" * 8000,
        "[" * 8000 + "]" * 8000,
        "<a " * 8000,
        "<http://a" * 8000,
        ("[" * 1000 + "\n\n") * 200,
        "*a " * 150_000,
    ],
    ids=["brackets", "images", "notes", "parens", "nested", "tags", "autolinks", "many", "em"],
)
def test_markup_soup_renders_as_text(body):
    rendered = render(body)
    assert "<a " not in rendered.html
    assert rendered.word_count > 0


def test_ordinary_long_post_keeps_its_links():
    paragraph = "Words and a [link](https://example.com/x) and *emphasis*, twice: [b](https://b.example).\n\n"
    rendered = render(paragraph * 1200)
    assert rendered.html.count("<a ") == 2400
    assert rendered.html.count("<em>") == 1200


def test_renders_are_independent_across_threads():
    bodies = [f"[r]\n\n[r]: https://example.com/{n}\n\n## Heading {n}" for n in range(40)]
    expected = [render(body).html for body in bodies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda body: render(body).html, bodies)) == expected
