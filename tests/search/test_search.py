"""Searching imported sites on each backend: ranking, the query language, folding, snippets."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mdcms_api.storage.models import Post, Site
from mdcms_api.storage.search import QueryError, parse_query, ranked_matches
from tests.search.conftest import slugs
from tests.sites import write_page, write_post

OTHER_MARKUP = re.compile(r"<(?!/?mark>)")


@pytest.fixture
def blog(root: Path, import_site) -> Path:
    """A few posts and a page with overlapping words."""
    write_post(
        root,
        "2025-01-01-static",
        "Generators turn **markdown** into HTML. Running one is quick.\n",
        title="Static site generators",
        keywords="tools",
    )
    write_post(
        root,
        "2025-01-02-cafe",
        "We met at the café to talk about Markdown and APIs.\n",
        title="Meeting notes",
        description="A chat over coffee",
    )
    write_post(
        root,
        "2025-01-03-api",
        "A headless API serves content; the site is static only on the client.\n",
        title="Headless content",
        keywords="api, http",
    )
    write_post(root, "2025-01-04-draft", "A static draft.\n", title="Unfinished", draft=True)
    write_page(root, "about", "This site is about microservices and a cafe.\n", title="About")
    assert import_site(root).committed
    return root


def test_a_title_match_ranks_above_a_single_body_mention(root, import_site, find):
    write_post(root, "2025-01-01-body", "Once, a word about pelicans.\n", title="Birds")
    write_post(root, "2025-01-02-title", "Nothing about birds here.\n", title="Pelicans")
    import_site(root)
    assert slugs(find("pelicans")) == ["title", "body"]


def test_keywords_and_description_rank_between_title_and_body(root, import_site, find):
    write_post(root, "2025-01-01-body", "Once, a word about herons.\n", title="One")
    write_post(root, "2025-01-02-keyword", "Other text.\n", title="Two", keywords="herons")
    write_post(root, "2025-01-03-title", "Other text.\n", title="Herons")
    write_post(root, "2025-01-04-description", "Other text.\n", title="Four", description="Herons.")
    import_site(root)
    ranked = slugs(find("heron"))
    assert ranked[0] == "title" and ranked[-1] == "body"
    assert set(ranked[1:3]) == {"keyword", "description"}


def test_every_word_must_match(blog, find):
    assert set(slugs(find("site"))) == {"static", "api", "about"}
    assert set(slugs(find("static site"))) == {"static", "api"}
    assert slugs(find("static coffee")) == []


def test_an_exact_phrase_matches_words_in_order(blog, find):
    assert slugs(find('"static site"')) == ["static"]
    assert slugs(find('"site static"')) == []


def test_or_matches_either(blog, find):
    assert set(slugs(find("coffee OR microservices"))) == {"cafe", "about"}
    assert set(slugs(find("coffee OR microservices content"))) == set()
    assert set(slugs(find("headless OR talk api"))) == {"api", "cafe"}


def test_minus_excludes(blog, find):
    assert set(slugs(find("site -static"))) == {"about"}
    assert set(slugs(find("markdown -café"))) == {"static"}
    assert set(slugs(find('static -"static site"'))) == {"api"}


def test_a_star_matches_prefixes(blog, find):
    assert set(slugs(find("micro*"))) == {"about"}
    assert set(slugs(find("head* OR gener*"))) == {"api", "static"}


def test_accents_fold_both_ways(blog, find):
    assert set(slugs(find("cafe"))) == {"cafe", "about"}
    assert set(slugs(find("CAFÉ"))) == {"cafe", "about"}


def test_words_are_stemmed(blog, find):
    assert slugs(find("run")) == ["static"]
    assert set(slugs(find("generator"))) == {"static"}
    assert set(slugs(find("serving"))) == {"api"}


def test_there_are_no_stop_words(blog, find):
    assert slugs(find("about")) == ["about", "cafe"]
    assert slugs(find('"the site"')) == ["api"]


def test_both_kinds_are_found_and_can_be_narrowed(blog, find):
    hits = find("cafe").hits
    assert {(hit.kind, hit.slug) for hit in hits} == {("post", "cafe"), ("page", "about")}
    assert slugs(find("cafe", kinds=("page",))) == ["about"]


def test_drafts_match_only_when_the_caller_includes_them(blog, find):
    assert "draft" not in slugs(find("static"))
    assert "draft" in slugs(find("static", include_drafts=True))


def test_sites_are_searched_apart(blog, tmp_path, import_site, find):
    write_post(tmp_path / "other", "2025-01-01-x", "Static everywhere.\n", title="Static")
    import_site(tmp_path / "other")
    assert "x" not in slugs(find("static"))
    assert slugs(find("static", site="other")) == ["x"]


def test_pages_of_results_count_them_all(blog, find):
    everything = find("static OR cafe")
    assert everything.total == len(everything.hits) == 4
    first, second = find("static OR cafe", limit=3), find("static OR cafe", limit=3, offset=3)
    assert first.total == second.total == 4
    assert slugs(first) + slugs(second) == slugs(everything)


def test_hits_carry_the_document(blog, app, find):
    hit = find("headless").hits[0]
    with app.extensions["mdcms.db"].sessions() as session:
        post = session.scalar(select(Post).where(Post.slug == "api"))
    assert (hit.kind, hit.id, hit.slug, hit.title) == ("post", post.id, "api", "Headless content")
    assert hit.rank > 0


def test_snippets_mark_matches_in_escaped_plain_text(root, import_site, find):
    write_post(
        root,
        "2025-01-01-markup",
        "Some **bold** text, `code < 3 && x > 1` and a [link](https://example.com/).\n\n"
        "Then <em>inline html</em> and the flamingo arrives &amp; leaves.\n",
        title="Markup",
    )
    import_site(root)
    snippet = find("flamingo").hits[0].snippet
    assert "<mark>flamingo</mark>" in snippet
    assert not OTHER_MARKUP.search(snippet)
    assert "**" not in snippet and "](" not in snippet and "`" not in snippet
    assert "&amp;" in snippet
    assert "<em>" not in find("bold").hits[0].snippet
    assert "&lt; 3 &amp;&amp; x &gt; 1" in find("code").hits[0].snippet


def test_snippets_of_a_phrase_and_of_a_prefix(blog, find):
    assert "<mark>" in find('"turn markdown"').hits[0].snippet
    assert "<mark>microservices</mark>" in find("microserv*").hits[0].snippet


def test_ranked_matches_combine_with_the_callers_filters(blog, app):
    with app.extensions["mdcms.db"].sessions() as session:
        site_id = session.scalar(select(Site.id).where(Site.slug == "blog"))
        matches = ranked_matches(session, site_id, parse_query("static"), kinds=("post",))
        rows = session.execute(
            select(Post.slug, matches.c.rank)
            .join(matches, matches.c.doc_id == Post.id)
            .where(Post.draft.is_(False), Post.slug != "api")
            .order_by(matches.c.rank.desc())
        ).all()
    assert [slug for slug, _ in rows] == ["static"]


HOSTILE = [
    'static"',
    '"static',
    '"',
    '""',
    "NEAR(static site)",
    "NEAR(static",
    "title:static",
    "body:static OR",
    "{title body}: static",
    "static AND site",
    "static NOT site",
    "static:*",
    "static & !site | (x",
    "'; DROP TABLE posts; --",
    "1' OR '1'='1",
    "static\x00site",
    "🙂",
    "🙂 static 🚀",
    "x" * 2000,
    "-",
    "*",
    "^static",
    "static+site",
    "\\",
    "it's",
    "%_%",
    "st*tic",
    "(((",
    "OR OR OR",
    "-static",
    "\u017ftatic \ufb01 \u00df",
    "\u202estatic",
    "日本語",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_give_results_or_say_why(blog, find, text):
    try:
        results = find(text)
    except QueryError as error:
        assert error.message
    else:
        assert results.total == len(results.hits)


def test_hostile_queries_with_words_still_find_them(blog, find):
    # Punctuation is text to the databases' word splitting: a column filter is two words.
    assert slugs(find("title:static")) == slugs(find('"title static"')) == []
    for text in ['static"', "static:*", "🙂 static 🚀", "static\u202e"]:
        assert "static" in slugs(find(text)), text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=80))
def test_any_text_gives_results_or_says_why(blog, find, text):
    with contextlib.suppress(QueryError):
        find(text)
