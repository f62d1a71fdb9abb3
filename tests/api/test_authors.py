"""GET /sites/{site}/authors and /authors/{slug}: post counts, latest post, sorts."""

from __future__ import annotations

from tests.api.conftest import slugs

AUTHORS = "/api/v1/sites/blog/authors"


def test_authors_by_name_with_counts(blog, get):
    items = get(AUTHORS).get_json()["items"]
    assert items == [
        {
            "slug": "ann-lee",
            "name": "Ann Lee",
            "post_count": 2,
            "latest_post": "2024-02-20T23:30:00+01:00",
            "url": "http://localhost/api/v1/sites/blog/authors/ann-lee",
        },
        {
            "slug": "bo-ek",
            "name": "Bo Ek",
            "post_count": 2,
            "latest_post": "2024-03-05T08:00:00+01:00",
            "url": "http://localhost/api/v1/sites/blog/authors/bo-ek",
        },
    ]


def test_authors_by_post_count(samples, get):
    items = get("/api/v1/sites/techblog/authors", sort="-post_count").get_json()["items"]
    counts = [item["post_count"] for item in items]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) >= 17


def test_an_author(blog, get):
    author = get(f"{AUTHORS}/bo-ek").get_json()
    assert author["post_count"] == 2
    assert author["posts_url"] == "http://localhost/api/v1/sites/blog/posts?author=bo-ek"


def test_an_author_of_drafts_only_is_hidden(blog, get):
    assert "drafty-dan" not in slugs(get(AUTHORS))
    assert get(f"{AUTHORS}/drafty-dan").status_code == 404
    assert get(f"{AUTHORS}/nobody").status_code == 404
