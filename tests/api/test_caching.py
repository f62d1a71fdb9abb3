"""Strong ETags, 304s, Last-Modified and Cache-Control on every GET."""

from __future__ import annotations

from tests.sites import write_post

POSTS = "/api/v1/sites/blog/posts"
ENDPOINTS = [
    "/api/v1/sites",
    "/api/v1/sites/blog",
    POSTS,
    f"{POSTS}/first",
    "/api/v1/sites/blog/authors",
    "/api/v1/sites/blog/authors/ann-lee",
    "/api/v1/sites/blog/keywords",
    "/api/v1/sites/blog/keywords/sql",
    "/api/v1/sites/blog/pages",
    "/api/v1/sites/blog/pages/about",
]


def test_every_get_has_a_strong_etag_and_answers_304(blog, get):
    for url in [*ENDPOINTS, "/api/v1/healthz", "/api/v1/openapi.json"]:
        response = get(url)
        etag = response.headers["ETag"]
        assert etag.startswith('"'), url  # strong: no W/
        again = get(url, {"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.get_data() == b""
        assert again.headers["ETag"] == etag


def test_site_resources_have_last_modified_and_public_max_age(blog, get):
    for url in ENDPOINTS:
        response = get(url)
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert response.headers["Last-Modified"]
        since = get(url, {"If-Modified-Since": response.headers["Last-Modified"]})
        assert since.status_code == 304


def test_max_age_is_configurable(blog, app, get):
    app.config["MDCMS_CACHE_MAX_AGE"] = 5
    assert get(POSTS).headers["Cache-Control"] == "public, max-age=5"


def test_the_etag_depends_on_the_query_not_its_order(blog, client):
    one = client.get(f"{POSTS}?author=ann-lee&sort=title").headers["ETag"]
    same = client.get(f"{POSTS}?sort=title&author=ann-lee").headers["ETag"]
    other = client.get(f"{POSTS}?sort=title").headers["ETag"]
    assert one == same != other


def test_an_import_that_changes_something_changes_the_etag(blog, import_site, get):
    before = get(POSTS).headers["ETag"]
    import_site(blog, "blog")  # nothing changed
    assert get(POSTS, {"If-None-Match": before}).status_code == 304
    write_post(blog, "2024-04-01-fourth", title="Fourth")
    import_site(blog, "blog")
    response = get(POSTS, {"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before


def test_a_304_costs_one_query(blog, get, count_queries):
    etag = get(POSTS).headers["ETag"]
    with count_queries() as statements:
        assert get(POSTS, {"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1


def test_a_compressed_copy_revalidates_too(blog, get):
    response = get(POSTS, {"Accept-Encoding": "gzip"}, page_size=100, include="html")
    etag = response.headers["ETag"]
    assert etag.endswith(':gzip"')
    again = get(
        POSTS, {"Accept-Encoding": "gzip", "If-None-Match": etag}, page_size=100, include="html"
    )
    assert again.status_code == 304
