"""Search through the API: q on post and page lists, the search endpoint, hostile queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import PREVIEW_TOKEN, slugs
from tests.sites import write_file, write_page, write_post

SITE = "/api/v1/sites/harbour"
POSTS = f"{SITE}/posts"
PAGES = f"{SITE}/pages"
SEARCH = f"{SITE}/search"
PREVIEW = {"Authorization": f"Bearer {PREVIEW_TOKEN}"}
TIDES = [f"tide-{number}" for number in range(1, 6)]


@pytest.fixture
def harbour(tmp_path: Path, import_site: Callable[..., Any]) -> None:
    """Posts and pages about a lighthouse: in titles, in bodies, in drafts; five tide posts."""
    root = tmp_path / "harbour"
    write_file(root, "config.yml", "sitename: Harbour\ntimezone: UTC\n")
    write_post(
        root,
        "2024-01-10-lighthouse-guide",
        "How the lamp is kept burning through the winter.\n",
        title="Lighthouse keeping",
        created="2024-01-10 09:00",
        author="Ann Lee",
        keywords="Sea",
    )
    write_post(
        root,
        "2024-02-10-harbour-notes",
        "Boats came in early. We walked past the lighthouse once, then home.\n",
        title="Harbour notes",
        created="2024-02-10 09:00",
        author="Bo Ek",
        keywords="Sea, Boats",
    )
    write_post(
        root,
        "2024-03-01-lighthouse-draft",
        "Not yet.\n",
        title="Lighthouse secrets",
        created="2024-03-01 09:00",
        author="Ann Lee",
        draft=True,
    )
    write_post(
        root,
        "2024-04-01-morning",
        "The café opens at dawn. Fish & chips < 5 euros, <b>bold</b> claims.\n",
        title="Morning coffee",
        created="2024-04-01 09:00",
        author="Ann Lee",
    )
    for day, slug in enumerate(TIDES, start=1):
        write_post(
            root,
            f"2024-05-0{day}-{slug}",
            "The tide came in and went out again.\n",
            title=f"Day {day}",
            created=f"2024-05-0{day} 09:00",
            author="Bo Ek",
        )
    write_page(root, "about", "We keep a harbour.\n", title="About the lighthouse")
    write_page(
        root,
        "contact",
        "Write to the lighthouse keeper.\n",
        title="Contact",
        section_id="help",
    )
    write_page(root, "wip", "Soon.\n", title="Lighthouse plans", draft=True)
    report = import_site(root, "harbour")
    assert not report.failed, report.summary()


def problem(response: Any, status: int) -> dict[str, Any]:
    """The problem body of ``response``, checked to be one with ``status``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


# --- q on the lists -----------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_mention(harbour, get):
    assert slugs(get(POSTS, q="lighthouse")) == ["lighthouse-guide", "harbour-notes"]
    assert slugs(get(PAGES, q="lighthouse")) == ["about", "contact"]


def test_q_combines_with_every_post_filter(harbour, get):
    assert slugs(get(POSTS, q="lighthouse", author="bo-ek")) == ["harbour-notes"]
    assert slugs(get(POSTS, q="lighthouse", keyword="boats")) == ["harbour-notes"]
    assert slugs(get(POSTS, q="lighthouse", keyword=["sea", "boats"])) == ["harbour-notes"]
    assert slugs(get(POSTS, q="lighthouse", created_from="2024-02-01")) == ["harbour-notes"]
    assert slugs(get(POSTS, q="lighthouse", created_to="2024-01-10")) == ["lighthouse-guide"]
    assert slugs(get(POSTS, q="lighthouse", author="nobody")) == []


def test_q_combines_with_the_page_section(harbour, get):
    assert slugs(get(PAGES, q="lighthouse", section="help")) == ["contact"]


def test_pagination_with_q(harbour, get):
    seen = []
    for page in (1, 2, 3):
        response = get(POSTS, q="tide", page_size=2, page=page)
        pagination = response.get_json()["pagination"]
        assert (pagination["total"], pagination["total_pages"]) == (5, 3)
        seen += slugs(response)
    assert sorted(seen) == TIDES
    link = get(POSTS, q="tide", page_size=2).headers["Link"]
    assert "q=tide" in link and 'page=2>; rel="next"' in link


def test_relevance_is_the_default_with_q_and_other_sorts_still_work(harbour, get):
    explicit = get(POSTS, q="lighthouse", sort="relevance")
    assert slugs(explicit) == slugs(get(POSTS, q="lighthouse"))
    assert slugs(get(POSTS, q="lighthouse", sort="title")) == ["harbour-notes", "lighthouse-guide"]
    assert slugs(get(POSTS, q="lighthouse", sort="created")) == [
        "lighthouse-guide",
        "harbour-notes",
    ]
    assert slugs(get(PAGES, q="lighthouse", sort="navigation")) == ["about", "contact"]
    # Without q the orders are what they were.
    assert slugs(get(POSTS))[:2] == ["tide-5", "tide-4"]
    assert slugs(get(PAGES)) == ["about", "contact"]


@pytest.mark.parametrize("path", [POSTS, PAGES])
def test_sort_by_relevance_without_q_is_refused(harbour, get, path):
    body = problem(get(path, sort="relevance"), 422)
    assert list(body["errors"]) == ["sort"]
    assert "`q`" in body["errors"]["sort"][0]


def test_snippets_mark_matches_and_nothing_else(harbour, get):
    [item] = get(POSTS, q="cafe fish").get_json()["items"]
    snippet = item["snippet"]
    assert "<mark>café</mark>" in snippet  # accents fold, the text keeps them
    assert "<mark>Fish</mark>" in snippet
    assert "&amp;" in snippet and "&lt;" in snippet  # the body's text, escaped
    assert re.findall(r"<[^>]*>", snippet) == ["<mark>", "</mark>"] * 2
    [page] = get(PAGES, q="keeper").get_json()["items"]
    assert page["snippet"] == "Write to the lighthouse <mark>keeper</mark>."


def test_without_q_items_have_no_snippet(harbour, get):
    assert all("snippet" not in item for item in get(POSTS).get_json()["items"])
    assert all("snippet" not in item for item in get(PAGES).get_json()["items"])
    assert "snippet" not in get(f"{POSTS}/harbour-notes").get_json()


# --- the search endpoint ------------------------------------------------------------------


def test_search_returns_both_kinds_titles_first(harbour, get):
    response = get(SEARCH, q="lighthouse")
    assert response.status_code == 200
    items = response.get_json()["items"]
    kinds = [(item["kind"], item["slug"]) for item in items]
    assert set(kinds[:2]) == {("post", "lighthouse-guide"), ("page", "about")}
    assert set(kinds[2:]) == {("post", "harbour-notes"), ("page", "contact")}
    by_slug = {item["slug"]: item for item in items}
    post, page = by_slug["harbour-notes"], by_slug["contact"]
    assert post["url"] == f"http://localhost{POSTS}/harbour-notes"
    assert page["url"] == f"http://localhost{PAGES}/contact"
    assert post["created"] == "2024-02-10T09:00:00+00:00"
    assert page["created"] is None
    assert post["title"] == "Harbour notes"
    assert "<mark>lighthouse</mark>" in post["snippet"]
    assert get(post["url"]).status_code == 200


def test_search_by_kind(harbour, get):
    assert [i["kind"] for i in get(SEARCH, q="lighthouse", kind="page").get_json()["items"]] == [
        "page",
        "page",
    ]
    assert slugs(get(SEARCH, q="lighthouse", kind="post")) == ["lighthouse-guide", "harbour-notes"]
    assert len(slugs(get(SEARCH, q="lighthouse", kind=["post", "page"]))) == 4
    assert list(problem(get(SEARCH, q="lighthouse", kind="author"), 422)["errors"]) == ["kind"]


def test_search_pages_like_every_list(harbour, get):
    first = get(SEARCH, q="tide", page_size=2)
    body = first.get_json()
    assert body["pagination"] == {
        "page": 1,
        "page_size": 2,
        "total": 5,
        "total_pages": 3,
        "next_page": 2,
        "previous_page": None,
    }
    assert 'rel="last"' in first.headers["Link"] and "q=tide" in first.headers["Link"]
    rest = slugs(get(SEARCH, q="tide", page_size=2, page=2)) + slugs(
        get(SEARCH, q="tide", page_size=2, page=3)
    )
    assert sorted(slugs(first) + rest) == TIDES
    assert slugs(get(SEARCH, q="tide", page=99)) == []


def test_search_needs_q(harbour, get):
    body = problem(get(SEARCH), 400)
    assert list(body["errors"]) == ["q"]


def test_search_of_a_missing_site_is_a_404(harbour, get):
    problem(get("/api/v1/sites/nowhere/search", q="lighthouse"), 404)


# --- drafts -------------------------------------------------------------------------------


def test_drafts_never_match(harbour, get):
    for path in (POSTS, PAGES, SEARCH):
        found = slugs(get(path, q="lighthouse secrets OR plans"))
        assert found == [], path
    assert "lighthouse-draft" not in slugs(get(SEARCH, q="lighthouse", page_size=100))


def test_drafts_match_in_preview(harbour, preview_app, get):
    assert slugs(get(POSTS, PREVIEW, q="secrets", preview="true")) == ["lighthouse-draft"]
    assert slugs(get(PAGES, PREVIEW, q="plans", preview="true")) == ["wip"]
    response = get(SEARCH, PREVIEW, q="secrets OR plans", preview="true")
    assert sorted(slugs(response)) == ["lighthouse-draft", "wip"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert slugs(get(SEARCH, PREVIEW, q="secrets")) == []  # the token alone shows nothing
    assert get(SEARCH, q="secrets", preview="true").status_code == 401


# --- hostile input ------------------------------------------------------------------------

# (query, what it must give: "found" a 200 with results, "200" any 200, or a 400's wording)
HOSTILE = [
    ('"lighthouse keeping', "found"),  # an unbalanced quote runs to the end
    ('lighthouse"', "found"),
    ("lighthouse NEAR keeping", "200"),
    ("NEAR(lighthouse keeping)", "200"),
    ("lighthouse AND keeping", "200"),
    ("title:lighthouse", "200"),
    ("lighthouse OR", "found"),
    ("OR", "no words"),
    ("^", "no words"),
    ("^lighthouse", "found"),
    ("*", "no words"),
    ("lamp*", "found"),
    ("-lighthouse", "only excludes"),
    ("'; DROP TABLE posts; --", "200"),
    ('lighthouse"; DELETE FROM search_index; --', "200"),
    ("lighthouse\x00", "control character"),
    ("\x00", "control character"),
    ("🙂", "no words"),
    ("lighthouse 🙂", "found"),
    ("🙂lighthouse", "200"),  # SQLite keeps an emoji glued to its word, PostgreSQL does not
    ("x" * 2000, "maximum is 256"),
    ("lighthouse " * 23 + "la*", "found"),  # 256 characters: the most there may be
    ("lighthouse " * 23 + "lamp", "maximum is 256"),  # 257
    ("", "no words"),
    ("   ", "no words"),
    ("\\", "no words"),
    ("lighthouse\\", "200"),
    ("''''", "no words"),
    ("a:b:c", "200"),
    ("%", "no words"),
    ("(", "no words"),
    ("lighthouse)", "found"),
]


@pytest.mark.parametrize("path", [POSTS, PAGES, SEARCH])
@pytest.mark.parametrize(("query", "expected"), HOSTILE, ids=[repr(q)[:30] for q, _ in HOSTILE])
def test_hostile_queries_are_answered(harbour, get, path, query, expected):
    response = get(path, q=query)
    if expected in ("found", "200"):
        assert response.status_code == 200, response.get_data(as_text=True)
        if expected == "found" and path != PAGES:
            assert response.get_json()["items"], response.get_json()
        return
    body = problem(response, 400)
    assert list(body["errors"]) == ["q"]
    assert expected in body["errors"]["q"][0] and expected in body["detail"]


def test_sql_in_a_query_changes_nothing(harbour, get):
    before = get(POSTS, page_size=100).get_json()["pagination"]["total"]
    get(SEARCH, q="'; DROP TABLE posts; --")
    get(SEARCH, q='"; DELETE FROM search_index; --')
    assert get(POSTS, page_size=100).get_json()["pagination"]["total"] == before
    assert slugs(get(POSTS, q="lighthouse")) == ["lighthouse-guide", "harbour-notes"]


def test_a_raw_nul_in_the_url_is_a_400(harbour, client):
    for url in (f"{SEARCH}?q=%00", f"{POSTS}?q=lighthouse%00", f"{PAGES}?q=%00%00"):
        assert problem(client.get(url), 400)["errors"]["q"]


# --- caching ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SEARCH, POSTS])
def test_search_responses_revalidate(harbour, get, path):
    response = get(path, q="lighthouse")
    etag = response.headers["ETag"]
    assert response.headers["Cache-Control"].startswith("public")
    assert get(path, {"If-None-Match": etag}, q="lighthouse").status_code == 304
    other = get(path, {"If-None-Match": etag}, q="harbour")
    assert other.status_code == 200 and other.headers["ETag"] != etag
