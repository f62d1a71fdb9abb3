"""Drafts with ?preview=true and the bearer token; never otherwise."""

from __future__ import annotations

import pytest

from tests.api.conftest import PREVIEW_TOKEN, slugs

POSTS = "/api/v1/sites/blog/posts"
RIGHT = {"Authorization": f"Bearer {PREVIEW_TOKEN}"}


def test_preview_shows_drafts_everywhere(blog, preview_app, get):
    assert slugs(get(POSTS, RIGHT, preview="true")) == ["third", "secret", "second", "first"]
    assert get(f"{POSTS}/secret", RIGHT, preview="true").get_json()["draft"] is True
    assert get(f"{POSTS}/second", RIGHT, preview="true").get_json()["next"]["slug"] == "secret"
    authors = "/api/v1/sites/blog/authors"
    assert "drafty-dan" in slugs(get(authors, RIGHT, preview="true"))
    assert get("/api/v1/sites/blog", RIGHT, preview="true").get_json()["post_count"] == 4
    assert "wip" in slugs(get("/api/v1/sites/blog/pages", RIGHT, preview="true"))


def test_preview_is_never_cached_by_others(blog, preview_app, get):
    response = get(POSTS, RIGHT, preview="true")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["ETag"] != get(POSTS).headers["ETag"]


def test_the_token_alone_shows_no_drafts(blog, preview_app, get):
    assert slugs(get(POSTS, RIGHT)) == ["third", "second", "first"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {PREVIEW_TOKEN}"}],
)
def test_a_wrong_or_missing_token_is_a_401(blog, preview_app, get, headers):
    response = get(f"{POSTS}/secret", headers, preview="true")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert PREVIEW_TOKEN not in response.get_data(as_text=True)


def test_without_a_configured_token_preview_is_off(blog, app, get):
    response = get(POSTS, {"Authorization": "Bearer anything"}, preview="true")
    assert response.status_code == 401
    assert "not enabled" in response.get_json()["detail"]
