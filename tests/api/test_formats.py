"""A post or page as JSON, HTML or markdown by Accept: bodies, negotiation, ETags, 304, 406."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import PREVIEW_TOKEN
from tests.sites import write_file

POST = "/api/v1/sites/site/posts/formats"
PAGE = "/api/v1/sites/site/pages/about"
DRAFT = "/api/v1/sites/site/posts/hidden"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
# Trailing spaces, a tab, CRLF and non-ASCII text: the markdown comes back byte for byte.
POST_BODY = "\n# Heading  \n\nSome *text*,\tcafé.  \r\nA [link](https://example.org).\n\n"
POST_FILE = f"---\ntitle: Formats\ncreated: 2025-01-02\n---\n{POST_BODY}"


@pytest.fixture
def site(tmp_path: Path, import_site) -> Path:
    root = tmp_path / "site"
    write_file(root, "posts/2025-01-02-formats.md", POST_FILE.encode())
    write_file(root, "posts/2025-01-03-hidden.md", "---\ntitle: Hidden\ndraft: true\n---\nDraft.\n")
    write_file(root, "pages/about.md", "---\ntitle: About\n---\nAbout *us*.\n")
    report = import_site(root, "site")
    assert not report.failed, report.summary()
    return root


def fetch(client, url: str, accept: str | None = None, **headers: str):
    if accept is not None:
        headers["Accept"] = accept
    return client.get(url, headers=headers)


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", BROWSER, "application/*"])
def test_json_is_the_default(site, client, accept):
    response = fetch(client, POST, accept)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["slug"] == "formats"
    assert "Accept" in response.vary


def test_markdown_is_the_body_exactly_as_written(site, client):
    response = fetch(client, POST, "text/markdown")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.get_data() == POST_BODY.encode()
    assert "Accept" in response.vary


def test_html_is_the_fragment_of_the_json(site, client):
    response = fetch(client, POST, "text/html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.get_data(as_text=True) == fetch(client, POST).get_json()["html"]
    assert "<em>text</em>" in response.get_data(as_text=True)


def test_pages_have_the_same_formats(site, client):
    assert fetch(client, PAGE, "text/markdown").get_data(as_text=True) == "About *us*.\n"
    html = fetch(client, PAGE, "text/html")
    assert html.mimetype == "text/html"
    assert html.get_data(as_text=True) == fetch(client, PAGE).get_json()["html"]
    assert "Accept" in fetch(client, PAGE).vary


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/markdown", "text/markdown"),
        ("text/markdown; charset=utf-8", "text/markdown"),
        ("TEXT/HTML", "text/html"),
        ("text/markdown, application/json;q=0.5", "text/markdown"),
        ("text/html;q=0.9, application/json;q=0.8, */*;q=0.1", "text/html"),
        ("application/json, text/markdown", "application/json"),
        ("text/markdown, */*;q=0.1", "application/json"),
        ("text/html, text/markdown", "text/html"),
        ("text/markdown;q=0.5, text/html;q=0.4", "text/markdown"),
        ("text/*", "text/html"),
        ("text/html;q=0, text/*", "text/markdown"),
        ("application/json;q=0, */*", "text/html"),
    ],
)
def test_negotiation(site, client, accept, expected):
    response = fetch(client, POST, accept)
    assert response.status_code == 200
    assert response.mimetype == expected


@pytest.mark.parametrize("accept", ["image/png", "application/xml", "text/plain", "*/*;q=0"])
def test_nothing_acceptable_is_a_406_problem(site, client, accept):
    response = fetch(client, POST, accept)
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 406
    assert "Accept" in response.vary


def test_each_format_has_its_own_etag_and_304(site, client):
    etags = {}
    for accept in ("application/json", "text/html", "text/markdown"):
        first = fetch(client, POST, accept)
        etags[accept] = first.headers["ETag"]
        again = fetch(client, POST, accept, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        assert again.headers["ETag"] == first.headers["ETag"]
        assert "Accept" in again.vary
    assert len(set(etags.values())) == 3
    # Another format's ETag does not validate: the client gets the body it asked for.
    other = fetch(client, POST, "text/markdown", **{"If-None-Match": etags["text/html"]})
    assert other.status_code == 200
    assert other.mimetype == "text/markdown"


def test_head_answers_like_get(site, client):
    response = client.head(POST, headers={"Accept": "text/markdown"})
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert response.get_data() == b""
    assert response.headers["ETag"] == fetch(client, POST, "text/markdown").headers["ETag"]


@pytest.mark.parametrize("accept", [None, "text/html", "text/markdown"])
def test_drafts_are_404_in_every_format(site, client, accept):
    response = fetch(client, DRAFT, accept)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_preview_shows_a_draft_in_markdown_privately(site, app, client):
    app.config["MDCMS_PREVIEW_TOKEN"] = PREVIEW_TOKEN
    response = client.get(
        DRAFT,
        query_string={"preview": "true"},
        headers={"Accept": "text/markdown", "Authorization": f"Bearer {PREVIEW_TOKEN}"},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Draft.\n"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_lists_do_not_vary_by_accept(site, client):
    response = fetch(client, "/api/v1/sites/site/posts", "text/markdown")
    assert "Accept" not in response.vary
