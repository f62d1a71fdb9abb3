"""Block triggers: a block processor is skipped only when it could not have taken the block."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from hypothesis import given
from hypothesis import strategies as st

from mdcms_api.content.rendering.block_triggers import BLOCK_TRIGGERS
from mdcms_api.content.rendering.markdown_setup import converter

# Blocks each processor takes, so that every trigger is checked against a real match.
BLOCKS = [
    "| a | b |\n| - | - |\n| 1 | 2 |",
    "a | b\n--|--",
    "## Heading ##",
    "text\n# Heading",
    "Title\n=====",
    "Title\n---",
    "> quote",
    "text\n  > quote",
    "[^1]: A note.",
    "[ref]: https://example.org 'Title'",
]
ALPHABET = "|#=->[]^:ab \n"


def _takes(name: str, block: str) -> bool:
    """Whether the processor, without its trigger check, would take ``block``."""
    processor = converter().md.parser.blockprocessors[name]
    if name in ("reference", "footnote"):  # their test always passes; their run decides
        return processor.RE.search(block) is not None
    return type(processor).test(processor, Element("div"), block)


def _assert_triggered(block: str) -> None:
    for name, triggers in BLOCK_TRIGGERS.items():
        if _takes(name, block):
            assert any(trigger in block for trigger in triggers), (name, block)


def test_every_trigger_is_checked_against_a_block_its_processor_takes():
    taken = set()
    for block in BLOCKS:
        _assert_triggered(block)
        taken |= {name for name in BLOCK_TRIGGERS if _takes(name, block)}
    assert taken == set(BLOCK_TRIGGERS)


@given(st.text(alphabet=ALPHABET, max_size=30))
def test_no_processor_takes_a_block_without_its_trigger(block):
    _assert_triggered(block)


@given(st.text(alphabet="ab `*_[]()>#|\n\t\\;:/", max_size=60))
def test_the_raw_html_parse_keeps_text_without_its_triggers(text):
    """Without "<" or "&", skipping the raw HTML preprocessor's parse changes nothing."""
    md = converter().md
    md.reset()
    preprocessor = md.preprocessors["html_block"]
    lines = text.split("\n")
    assert type(preprocessor).run(preprocessor, lines) == lines
