"""GET /sites/{site}/keywords and /keywords/{slug}: counts, sorts, keywords seen together."""

from __future__ import annotations

from tests.api.conftest import slugs

KEYWORDS = "/api/v1/sites/blog/keywords"


def test_keywords_most_used_first(blog, get):
    items = get(KEYWORDS).get_json()["items"]
    assert [(item["slug"], item["post_count"]) for item in items] == [
        ("python", 3),  # the draft's use is not counted
        ("http", 2),
        ("sql", 2),
    ]


def test_keywords_by_name(blog, get):
    assert slugs(get(KEYWORDS, sort="name")) == ["http", "python", "sql"]


def test_a_keyword_with_its_neighbours(blog, get):
    keyword = get(f"{KEYWORDS}/python").get_json()
    assert keyword["post_count"] == 3
    assert keyword["posts_url"] == "http://localhost/api/v1/sites/blog/posts?keyword=python"
    related = [(item["slug"], item["shared_post_count"]) for item in keyword["related"]]
    assert related == [("http", 2), ("sql", 2)]  # "hidden" shares only a draft


def test_a_keyword_of_drafts_only_is_hidden(blog, get):
    assert "hidden" not in slugs(get(KEYWORDS))
    assert get(f"{KEYWORDS}/hidden").status_code == 404


def test_non_ascii_keywords(samples, get):
    items = get("/api/v1/sites/handbook/keywords", page_size=100).get_json()["items"]
    for item in items:
        assert get(item["url"]).get_json()["name"] == item["name"]
