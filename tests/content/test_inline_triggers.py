"""Inline triggers: a pattern is skipped only when it could not have matched."""

from __future__ import annotations

import functools
import re

from hypothesis import given
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from mdcms_api.content.rendering.inline_triggers import TRIGGERS
from mdcms_api.content.rendering.markdown_setup import _build, converter
from mdcms_api.content.rendering.model import RenderSettings, SiteIndex

# Text that matches each pattern, so that every trigger is checked against a real match.
MATCHES = [
    "`code` and \\\\`x`",
    "\\*not emphasis\\*",
    "a note[^1] and [link](x.md) and [ref][r] and [short]",
    "![image](a.png) ![ref][r] ![short]",
    "<https://example.org/a> <HTTP://EXAMPLE.ORG> <ftp://x.org> <mail@example.org>",
    "line  \nbreak",
    "<span>html</span> <!-- comment --> <?php ?> <![CDATA[x]]>",
    "http://a.org https://b.org FTPS://c.org WwW.d.org ftp.e.org and a@b.org, x.y+z@c-d.co",
    "&amp; &#42; &#x2A;",
    "*em* **strong** _em_ __strong__ ~~gone~~",
]
ALPHABET = "ab.:/@<>[]()!^`\\*_~&#;x \nwWhtpsfHTP-+1"


def _patterns():
    patterns = converter().md.inlinePatterns
    return {name: patterns[name].compiled_re for name in TRIGGERS if name in patterns}


def _assert_triggered(text: str) -> None:
    for name, regex in _patterns().items():
        trigger = re.compile(TRIGGERS[name])
        for start in range(len(text) + 1):
            if regex.search(text, start):
                assert trigger.search(text, start), (name, text, start)


def test_every_inline_pattern_has_a_trigger():
    """A pattern added by an upgrade or a new extension must be looked at, not just tried."""
    patterns = converter().md.inlinePatterns
    assert len(_patterns()) == len(patterns)


def test_python_markdown_still_has_the_loop_we_override():
    """If the private method were renamed, our loop would silently stop being used."""
    assert "_InlineProcessor__handleInline" in vars(InlineProcessor)


def test_every_sample_matches_some_pattern_and_its_trigger():
    matched = set()
    for text in MATCHES:
        _assert_triggered(text)
        matched |= {name for name, regex in _patterns().items() if regex.search(text)}
    assert matched == set(TRIGGERS)


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_no_pattern_matches_without_its_trigger(text):
    _assert_triggered(text)


@functools.cache
def _stock():
    """A converter built as ours is, but with Python-Markdown's own inline loop."""
    stock = _build()
    stock.md.treeprocessors.register(InlineProcessor(stock.md), "inline", 20)
    return stock


def _convert(conv, text: str) -> str:
    conv.md.reset()
    conv.state.begin("posts/a.md", RenderSettings(site="s"), SiteIndex({}, frozenset()))
    return conv.md.convert(text)


MARKDOWN = "*_`[]()!<>&;#^~:/.@\\ \nawwwhttps"


@given(st.text(alphabet=MARKDOWN, max_size=60))
def test_output_is_the_stock_inline_processors(text):
    assert _convert(converter(), text) == _convert(_stock(), text)
