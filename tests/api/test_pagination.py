"""Pagination at the edges: the body's totals, the Link header, pages past the last."""

from __future__ import annotations

import re

POSTS = "/api/v1/sites/techblog/posts"


def links(response) -> dict[str, str]:
    """rel -> page number from a Link header."""
    found = re.findall(r'<[^>]*[?&]page=(\d+)[^>]*>; rel="(\w+)"', response.headers["Link"])
    return {rel: int(page) for page, rel in found}


def test_the_first_page(samples, get):
    response = get(POSTS, page_size=5)
    assert response.get_json()["pagination"] == {
        "page": 1,
        "page_size": 5,
        "total": 17,
        "total_pages": 4,
        "next_page": 2,
        "previous_page": None,
    }
    assert links(response) == {"first": 1, "next": 2, "last": 4}


def test_a_middle_page_keeps_the_other_parameters_in_its_links(samples, get):
    response = get(POSTS, page=2, page_size=2, keyword=["sqlite"], sort="title")
    assert response.get_json()["pagination"]["total"] == 5
    assert links(response) == {"first": 1, "prev": 1, "next": 3, "last": 3}
    header = response.headers["Link"]
    assert all("keyword=sqlite" in part and "sort=title" in part for part in header.split(", <"))


def test_the_last_page(samples, get):
    response = get(POSTS, page=4, page_size=5)
    assert len(response.get_json()["items"]) == 2
    assert response.get_json()["pagination"]["next_page"] is None
    assert links(response) == {"first": 1, "prev": 3, "last": 4}


def test_a_page_past_the_last_is_empty_not_an_error(samples, get):
    response = get(POSTS, page=40, page_size=5)
    assert response.status_code == 200
    body = response.get_json()
    assert body["items"] == []
    assert body["pagination"]["previous_page"] == 4
    assert body["pagination"]["next_page"] is None


def test_the_largest_page_number_is_answered(samples, get):
    assert get(POSTS, page=2**31 - 1).get_json()["items"] == []


def test_pages_cover_the_list_exactly_once(samples, get):
    whole = [item["slug"] for item in get(POSTS, page_size=100).get_json()["items"]]
    paged = [
        item["slug"]
        for page in range(1, 5)
        for item in get(POSTS, page=page, page_size=5).get_json()["items"]
    ]
    assert paged == whole


def test_every_list_is_paginated(samples, get):
    for url in ("/api/v1/sites", f"{POSTS[:-6]}/authors", f"{POSTS[:-6]}/keywords"):
        body = get(url, page_size=1).get_json()
        assert len(body["items"]) == 1
        assert body["pagination"]["total"] >= 2
    pages = get("/api/v1/sites/handbook/pages", page_size=1).get_json()
    assert pages["pagination"]["total_pages"] == pages["pagination"]["total"]
