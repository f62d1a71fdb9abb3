"""The query language, parsed without a database: words, phrases, OR, exclusions, prefixes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdcms_api.storage.search.query import MAX_QUERY_LENGTH, Query, QueryError, Term, parse_query


def words(*groups: str) -> tuple[tuple[Term, ...], ...]:
    return tuple((Term((word,)),) for word in groups)


def test_words_must_all_match():
    assert parse_query("static  site") == Query(words("static", "site"))


def test_a_phrase_keeps_its_words_together():
    assert parse_query('"static site" api') == Query(
        ((Term(("static", "site")),), (Term(("api",)),))
    )


def test_an_unbalanced_quote_runs_to_the_end():
    assert parse_query('api "static site') == Query(
        ((Term(("api",)),), (Term(("static", "site")),))
    )
    assert parse_query('api"') == Query(words("api"))


def test_or_joins_its_neighbours_and_binds_tighter_than_and():
    assert parse_query("a OR b c") == Query(((Term(("a",)), Term(("b",))), (Term(("c",)),)))
    assert parse_query('a OR "b c" OR d*') == Query(
        ((Term(("a",)), Term(("b", "c")), Term(("d",), prefix=True)),)
    )


def test_a_dangling_or_is_ignored_and_lower_case_or_is_a_word():
    assert parse_query("OR a OR") == Query(words("a"))
    assert parse_query("a OR OR b") == Query(words("a", "b"))
    assert parse_query("this or that") == Query(words("this", "or", "that"))


def test_minus_excludes_a_word_or_a_phrase():
    assert parse_query('a -b -"c d"') == Query(words("a"), (Term(("b",)), Term(("c", "d"))))
    assert parse_query("a OR -b") == Query(words("a"), (Term(("b",)),))
    assert parse_query("e-mail") == Query(words("e-mail"))


def test_a_trailing_star_is_a_prefix():
    assert parse_query('micro* "static si"*') == Query(
        ((Term(("micro",), prefix=True),), (Term(("static", "si"), prefix=True),))
    )


def test_punctuation_is_text_and_words_without_letters_are_skipped():
    assert parse_query("title:foo NEAR(a -- ;") == Query(words("title:foo", "NEAR(a"))
    assert parse_query("🙂 run") == Query(words("run"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no words"),
        ("   ", "no words"),
        ("-- ; * 🙂", "no words"),
        ("OR", "no words"),
        ("-spam -ham", "only excludes"),
        ("a\x00b", "control character (U+0000)"),
        ("a\x07b", "control character (U+0007)"),
        ("a\ud800b", "lone surrogate"),
        ("x" * (MAX_QUERY_LENGTH + 1), f"the maximum is {MAX_QUERY_LENGTH}"),
        ("x" * 2000, "2,000 characters"),
    ],
)
def test_what_cannot_be_searched_says_why(text, message):
    with pytest.raises(QueryError) as error:
        parse_query(text)
    assert message in error.value.message


def test_tabs_and_newlines_are_spaces():
    assert parse_query("a\tb\nc") == Query(words("a", "b", "c"))


def test_the_longest_query_is_accepted():
    assert parse_query("x" * MAX_QUERY_LENGTH) == Query(words("x" * MAX_QUERY_LENGTH))


@given(st.text(max_size=300))
def test_any_text_parses_or_says_why(text):
    try:
        query = parse_query(text)
    except QueryError as error:
        assert error.message
        return
    assert query.groups
    for term in [term for group in query.groups for term in group] + list(query.excluded):
        assert term.words and all(any(char.isalnum() for char in word) for word in term.words)
