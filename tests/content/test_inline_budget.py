"""The inline budget: dense blocks are neutralized, and ordinary text skips the per-block count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mdcms_api.content.rendering.inline_budget import (
    _BLOCKS,
    _INLINE_MARKUP,
    _OTHER_MARKUP_WEIGHT,
    MAX_BLOCK_COST,
    MAX_DOCUMENT_COST,
    _cost,
    limit_inline_cost,
)


@given(st.text() | st.text(alphabet=_INLINE_MARKUP + "aé\U0001f600\ud800"))
def test_cost_counts_every_markup_character_once(text):
    markup = sum(char in _INLINE_MARKUP for char in text)
    openers = text.count("[") + text.count("<")
    weighted = openers + (markup - openers) // _OTHER_MARKUP_WEIGHT
    assert _cost(text) == (weighted * len(text) if markup else 0)


@given(st.text(alphabet="[<*_`()ab \n", max_size=300))
def test_whole_text_cost_bounds_every_block_and_their_sum(text):
    costs = [_cost(block) for block in _BLOCKS.split(text)]
    assert sum(costs) <= _cost(text)
    assert max(costs) <= _cost(text)


def test_ordinary_text_comes_back_unchanged():
    text = "A [link](x.md) and *emphasis*.\n\n" * 50
    assert _cost(text) <= MAX_BLOCK_COST <= MAX_DOCUMENT_COST
    assert limit_inline_cost(text) == (text, False)


def test_a_dense_block_is_neutralized_and_the_rest_kept():
    dense = "[" * 2000
    text, neutralized = limit_inline_cost(f"plain *text*\n\n{dense}")
    assert neutralized
    assert text.startswith("plain *text*\n\n")
    assert "[" not in text
