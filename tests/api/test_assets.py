"""GET /sites/{site}/assets/{path}: bytes, types, safe headers, caching, and nothing else served."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from mdcms_api.storage.models import Page, Post
from tests.sites import write_file, write_post

ASSETS = "/api/v1/sites/site/assets"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PUBLIC_URL = "https://api.example.org"
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@pytest.fixture
def site(tmp_path: Path, import_site) -> Path:
    root = tmp_path / "site"
    write_file(root, "config.yml", "sitename: Site\n")
    write_post(root, "2025-01-01-hello", title="Hello")
    write_file(root, "assets/images/dot.png", PNG)
    write_file(root, "assets/images/ring.svg", SVG)
    write_file(root, "assets/files/notes.txt", "Notes, in Latin-1: caf\xe9.\n".encode("latin-1"))
    write_file(root, "assets/page.html", "<script>alert(1)</script>")
    write_file(root, "assets/app.js", "alert(1)")
    write_file(root, "assets/files/résumé.pdf", b"%PDF-1.4")
    write_file(root, "assets/files/with space.bin", b"\x00")
    report = import_site(root, "site")
    assert not report.failed, report.summary()
    return root


def test_an_image_is_served_as_it_is(site, client):
    response = client.get(f"{ASSETS}/images/dot.png")
    assert response.status_code == 200
    assert response.get_data() == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["ETag"] == f'"{hashlib.sha256(PNG).hexdigest()}"'
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Content-Length"] == str(len(PNG))


def test_svg_is_inline_but_sandboxed(site, client):
    response = client.get(f"{ASSETS}/images/ring.svg")
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Content-Security-Policy"] == SANDBOX


@pytest.mark.parametrize(
    ("path", "content_type", "filename"),
    [
        ("page.html", "text/html", "filename=page.html"),
        ("app.js", "text/javascript", "filename=app.js"),
        ("files/r%C3%A9sum%C3%A9.pdf", "application/pdf", "filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"),
        ("files/with%20space.bin", "application/octet-stream", 'filename="with space.bin"'),
    ],
)
def test_active_or_unknown_content_is_a_download(site, client, path, content_type, filename):
    response = client.get(f"{ASSETS}/{path}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert filename in disposition
    assert response.headers["Content-Security-Policy"] == SANDBOX
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_text_gets_no_charset_it_does_not_know(site, client):
    response = client.get(f"{ASSETS}/files/notes.txt")
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.get_data() == "Notes, in Latin-1: caf\xe9.\n".encode("latin-1")


@pytest.mark.parametrize("held", ["{etag}", "W/{etag}", "*", '"other", {etag}'])
def test_if_none_match_gives_a_304(site, client, held):
    etag = client.get(f"{ASSETS}/images/dot.png").headers["ETag"]
    response = client.get(
        f"{ASSETS}/images/dot.png", headers={"If-None-Match": held.format(etag=etag)}
    )
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == "public, max-age=86400"


def test_a_stale_etag_gets_the_new_file(site, client, import_site):
    etag = client.get(f"{ASSETS}/images/dot.png").headers["ETag"]
    write_file(site, "assets/images/dot.png", PNG + b"!")
    import_site(site, "site")
    response = client.get(f"{ASSETS}/images/dot.png", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.get_data() == PNG + b"!"
    assert response.headers["ETag"] != etag


def test_max_age_is_a_setting(site, app, client):
    app.config["MDCMS_ASSET_MAX_AGE"] = 31536000
    response = client.get(f"{ASSETS}/images/dot.png")
    assert response.headers["Cache-Control"] == "public, max-age=31536000"


def test_head_and_ranges(site, client):
    head = client.head(f"{ASSETS}/images/dot.png")
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Length"] == str(len(PNG))
    part = client.get(f"{ASSETS}/images/dot.png", headers={"Range": "bytes=0-7"})
    assert part.status_code == 206
    assert part.get_data() == PNG[:8]
    beyond = client.get(f"{ASSETS}/images/dot.png", headers={"Range": "bytes=9999-"})
    assert beyond.status_code == 416
    assert beyond.mimetype == "application/problem+json"


def test_query_parameters_are_ignored(site, client):
    response = client.get(f"{ASSETS}/images/dot.png?v=2")
    assert response.status_code == 200
    assert response.get_data() == PNG


@pytest.mark.parametrize(
    "path",
    [
        "../config.yml",
        "..%2Fconfig.yml",
        "%2e%2e/config.yml",
        "images/../images/dot.png",
        "./images/dot.png",
        "images/./dot.png",
        "images//dot.png",
        "images%5Cdot.png",
        "images\\dot.png",
        "images/dot.png%00",
        "%2Fetc/passwd",
        "../posts/2025-01-01-hello.md",
        "../../../../../../etc/passwd",
        "images/dot.png/",
        "images",
        "missing.png",
        "x" * 2000,
    ],
)
def test_nothing_but_an_imported_asset_is_served(site, client, path):
    response = client.get(f"{ASSETS}/{path}")
    assert response.status_code == 404, response.get_data()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_an_unknown_site_is_a_404(site, client):
    response = client.get("/api/v1/sites/nope/assets/images/dot.png")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_assets_of_one_site_are_not_served_under_another(site, client, import_site, tmp_path):
    other = tmp_path / "other"
    write_post(other, "2025-01-01-x", title="X")
    import_site(other, "other")
    assert client.get("/api/v1/sites/other/assets/images/dot.png").status_code == 404


class ImageSources(HTMLParser):
    """Every <img src> and every link into the assets in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.asset_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.images.append(values["src"])
        if tag == "a" and "/assets/" in (values.get("href") or ""):
            self.asset_links.append(values["href"])


def local(url: str) -> str:
    """The path (and query) of an absolute URL on the public origin, for the test client."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_URL, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_image_in_the_handbook_resolves(app, client, import_site, sample_sites):
    app.config["MDCMS_PUBLIC_URL"] = PUBLIC_URL
    assert not import_site(sample_sites / "handbook").failed
    found = ImageSources()
    with app.extensions["mdcms.db"].sessions() as session:
        for model in (Post, Page):
            for html in session.scalars(select(model.html)):
                found.feed(html)
    assert len(found.images) >= 4
    for url in found.images:
        response = client.get(local(url))
        assert response.status_code == 200, url
        assert response.mimetype.startswith("image/"), url
    assert found.asset_links
    for url in found.asset_links:
        assert client.get(local(url)).status_code == 200, url
