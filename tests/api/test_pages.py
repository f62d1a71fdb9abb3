"""GET /sites/{site}/pages and /pages/{slug}: navigation order, sections, drafts hidden."""

from __future__ import annotations

from tests.api.conftest import slugs

PAGES = "/api/v1/sites/blog/pages"


def test_pages_outside_sections_first_then_by_section_and_sort(blog, get):
    assert slugs(get(PAGES)) == ["about", "start", "install"]


def test_pages_of_one_section(blog, get):
    items = get(PAGES, section="guide").get_json()["items"]
    assert [(item["slug"], item["section"], item["sort"]) for item in items] == [
        ("start", "guide", 1),
        ("install", "guide", 2),
    ]


def test_a_page(blog, get):
    page = get(f"{PAGES}/install").get_json()
    assert page["title"] == "Install"
    assert page["html"] == "<p>Some text.</p>"
    assert page["markdown"] == "Some text.\n"
    assert page["url"] == "http://localhost/api/v1/sites/blog/pages/install"
    assert page["toc"] == [] and page["components"] == []


def test_draft_pages_are_hidden(blog, get):
    assert "wip" not in slugs(get(PAGES))
    assert get(f"{PAGES}/wip").status_code == 404


def test_the_handbook_pages_in_navigation_order(samples, get):
    items = get("/api/v1/sites/handbook/pages", page_size=100).get_json()["items"]
    keys = [(item["section"] or "", item["sort"]) for item in items]
    assert keys == sorted(keys)
    assert all(not item["draft"] for item in items)
