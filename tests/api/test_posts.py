"""GET /sites/{site}/posts and /sites/{site}/posts/{slug}: filters, sorts, bodies, neighbours."""

from __future__ import annotations

import pytest

from tests.api.conftest import slugs

POSTS = "/api/v1/sites/blog/posts"


def test_the_list_is_newest_first_without_drafts(blog, get):
    assert slugs(get(POSTS)) == ["third", "second", "first"]


def test_a_summary_has_every_field(blog, get):
    second = get(POSTS).get_json()["items"][1]
    assert second == {
        "slug": "second",
        "title": "second",
        "description": None,
        "excerpt": second["excerpt"],
        "language": "en",
        "draft": False,
        "created": "2024-02-20T23:30:00+01:00",
        "modified": "2024-06-01T10:00:00+02:00",
        "word_count": 2,
        "reading_time_minutes": 1,
        "extra": {"image": "hero.jpg"},
        "author": {"slug": "bo-ek", "name": "Bo Ek"},
        "authors": [{"slug": "bo-ek", "name": "Bo Ek"}, {"slug": "ann-lee", "name": "Ann Lee"}],
        "keywords": [{"slug": "python", "name": "Python"}, {"slug": "http", "name": "HTTP"}],
        "url": "http://localhost/api/v1/sites/blog/posts/second",
    }


def test_author_filter(blog, get):
    assert slugs(get(POSTS, author="ann-lee")) == ["second", "first"]


def test_repeated_authors_mean_any_of_them(blog, get):
    assert slugs(get(POSTS, author=["ann-lee", "bo-ek"])) == ["third", "second", "first"]


def test_keyword_filter(blog, get):
    assert slugs(get(POSTS, keyword="sql")) == ["third", "first"]


def test_repeated_keywords_mean_all_of_them(blog, get):
    assert slugs(get(POSTS, keyword=["http", "python"])) == ["third", "second"]
    assert slugs(get(POSTS, keyword=["http", "sql"])) == ["third"]


def test_an_unknown_slug_matches_nothing(blog, get):
    assert slugs(get(POSTS, author="nobody")) == []
    assert slugs(get(POSTS, keyword="hidden")) == []  # only on a draft


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"created_from": "2024-02-20"}, ["third", "second"]),
        ({"created_to": "2024-02-20"}, ["second", "first"]),  # the whole day
        ({"created_to": "2024-02-20 23:00"}, ["first"]),  # the site's time zone
        ({"created_to": "2024-02-20T22:30:00Z"}, ["second", "first"]),  # 23:30 in Oslo
        ({"created_from": "2024-03-05T08:00:00+01:00"}, ["third"]),  # inclusive
        ({"created_from": "2024-01-11", "created_to": "2024-03-04"}, ["second"]),
        ({"created_from": "2024-03-06"}, []),
    ],
)
def test_date_ranges(blog, get, params, expected):
    assert slugs(get(POSTS, **params)) == expected


def test_filters_combine(blog, get):
    params = {"author": "ann-lee", "keyword": "python", "created_from": "2024-02-01"}
    assert slugs(get(POSTS, **params)) == ["second"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("created", ["first", "second", "third"]),
        ("-created", ["third", "second", "first"]),
        ("modified", ["first", "third", "second"]),  # never modified: the created time counts
        ("-modified", ["second", "third", "first"]),
        ("title", ["first", "second", "third"]),  # case does not matter
        ("-title", ["third", "second", "first"]),
    ],
)
def test_sorts(blog, get, sort, expected):
    assert slugs(get(POSTS, sort=sort)) == expected


def test_ties_are_broken_by_slug(tmp_path, import_site, get):
    from tests.sites import write_post

    root = tmp_path / "ties"
    for slug in ("b-post", "a-post", "c-post"):
        write_post(root, f"2024-05-01-{slug}", title="Same", created="2024-05-01 10:00")
    import_site(root, "ties")
    url = "/api/v1/sites/ties/posts"
    assert slugs(get(url, sort="created")) == ["a-post", "b-post", "c-post"]
    assert slugs(get(url, sort="-created")) == ["c-post", "b-post", "a-post"]
    assert slugs(get(url, sort="title")) == ["a-post", "b-post", "c-post"]


def test_bodies_only_when_included(blog, get):
    plain = get(POSTS).get_json()["items"][0]
    assert not {"html", "markdown", "text"} & plain.keys()
    item = get(POSTS, include=["html", "markdown"]).get_json()["items"][0]
    assert item["html"] == "<p>Some text.</p>"
    assert item["markdown"] == "Some text.\n"
    assert "text" not in item
    assert get(POSTS, include="text").get_json()["items"][0]["text"] == "Some text."


def test_a_post_has_its_body_toc_and_neighbours(blog, get):
    post = get(f"{POSTS}/second").get_json()
    assert post["markdown"] == "Some text.\n"
    assert post["html"] == "<p>Some text.</p>"
    assert post["toc"] == []
    assert post["previous"] == {
        "slug": "first",
        "title": "First",
        "created": "2024-01-10T09:00:00+01:00",
        "url": "http://localhost/api/v1/sites/blog/posts/first",
    }
    assert post["next"]["slug"] == "third"  # the draft in between is skipped
    assert "text" not in post


def test_the_first_and_last_posts_have_no_neighbour_on_one_side(blog, get):
    assert get(f"{POSTS}/first").get_json()["previous"] is None
    assert get(f"{POSTS}/third").get_json()["next"] is None


def test_the_markdown_is_the_body_exactly_as_written(tmp_path, import_site, get):
    from tests.sites import write_post

    body = "# Title\n\nSome *text*  \nwith a hard break.\n\n## Part\n\nMore.\n"
    write_post(tmp_path / "exact", "2024-01-01-exact", body, title="Exact")
    import_site(tmp_path / "exact", "exact")
    post = get("/api/v1/sites/exact/posts/exact").get_json()
    assert post["markdown"] == body
    assert [entry["title"] for entry in post["toc"]] == ["Title"]
    assert post["toc"][0]["children"][0]["title"] == "Part"


def test_unknown_posts_and_drafts_are_404(blog, get):
    for url in (f"{POSTS}/nope", f"{POSTS}/secret", "/api/v1/sites/nope/posts"):
        response = get(url)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_a_list_costs_a_fixed_number_of_queries(samples, get, count_queries):
    url = "/api/v1/sites/techblog/posts"
    with count_queries() as few:
        assert len(get(url, page_size=2).get_json()["items"]) == 2
    with count_queries() as many:
        assert len(get(url, page_size=100).get_json()["items"]) == 17
    # site, count, posts, their authors, their keywords: whatever the page size (the response
    # cache reads the site's version on a DBAPI connection of its own, not counted here)
    assert len(few) == len(many) == 5
