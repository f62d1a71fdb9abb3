"""GET /sites and /sites/{site}: what each site holds, drafts not counted."""

from __future__ import annotations

from tests.api.conftest import slugs


def test_the_sites_are_listed_by_slug_with_counts(samples, blog, get):
    response = get("/api/v1/sites")
    assert slugs(response) == ["blog", "handbook", "techblog"]
    techblog = response.get_json()["items"][2]
    assert techblog["name"] == "Query Plan"
    assert techblog["timezone"] == "Europe/Oslo"
    assert techblog["url"] == "http://localhost/api/v1/sites/techblog"
    assert (techblog["post_count"], techblog["author_count"], techblog["page_count"]) == (17, 4, 0)


def test_a_site_counts_only_what_is_public(blog, get):
    site = get("/api/v1/sites/blog").get_json()
    assert site["post_count"] == 3
    assert site["page_count"] == 3
    assert site["author_count"] == 2  # Drafty Dan wrote only a draft
    assert site["keyword_count"] == 3  # "Hidden" is only on the draft
    assert site["description"] is None
    assert site["language"] == "en"
    # The last import, in the site's time zone
    assert site["last_import"].endswith(("+01:00", "+02:00"))


def test_an_empty_database_lists_no_sites(app, get):
    body = get("/api/v1/sites").get_json()
    assert body == {
        "items": [],
        "pagination": {
            "page": 1,
            "page_size": 20,
            "total": 0,
            "total_pages": 0,
            "next_page": None,
            "previous_page": None,
        },
    }


def test_an_unknown_site_is_404(app, get):
    response = get("/api/v1/sites/nope")
    assert response.status_code == 404
    assert response.get_json()["detail"] == "There is no site 'nope'."
