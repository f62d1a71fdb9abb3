"""gzip and brotli by Accept-Encoding, with an ETag per representation and 304s for each."""

from __future__ import annotations

import gzip
import hashlib
import json

import brotli
import pytest
from flask import Flask, Response, request

from mdcms_api import create_app

DOCUMENT = {"items": [{"slug": f"post-{n}", "title": f"Post number {n}"} for n in range(50)]}


def _etag_like_the_api(response: Response) -> Response:
    # Registered after create_app, as the API's own hooks are before init_serving: compression
    # must still run after it.
    if response.mimetype == "application/json" and response.status_code == 200:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:16])
        response.make_conditional(request)
    return response


@pytest.fixture
def toy_app(tmp_path) -> Flask:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    app.add_url_rule("/big", "big", lambda: DOCUMENT)
    app.add_url_rule("/tiny", "tiny", lambda: {"ok": True})
    app.add_url_rule(
        "/post.md",
        "markdown",
        lambda: Response(
            "# Title\n\n" + "Words. " * 200, 200, {"Content-Type": "text/markdown; charset=utf-8"}
        ),
    )
    app.add_url_rule("/image", "image", lambda: Response(b"\x89PNG" * 400, mimetype="image/png"))
    app.after_request(_etag_like_the_api)
    return app


@pytest.fixture
def client(toy_app):
    return toy_app.test_client()


def identity_etag(client) -> str:
    response = client.get("/big")
    assert "Content-Encoding" not in response.headers
    return response.get_etag()[0]


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
        ("br;q=0.5, gzip", "gzip", gzip.decompress),
    ],
)
def test_json_is_compressed_with_an_etag_of_its_own(client, accept, encoding, decode):
    etag = identity_etag(client)
    response = client.get("/big", headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == encoding
    assert json.loads(decode(response.get_data())) == DOCUMENT
    assert response.headers["ETag"] == f'"{etag}:{encoding}"'
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.get_data())


def test_a_gzip_body_is_the_same_bytes_whenever_it_is_made(client, monkeypatch):
    first = client.get("/big", headers={"Accept-Encoding": "gzip"}).get_data()
    # gzip stamps the current second into its header; an hour later it must not show.
    later = gzip.time.time() + 3600
    monkeypatch.setattr(gzip.time, "time", lambda: later)
    second = client.get("/big", headers={"Accept-Encoding": "gzip"}).get_data()
    assert first == second
    assert first[4:8] == bytes(4)  # MTIME: "no time stamp"
    assert json.loads(gzip.decompress(first)) == DOCUMENT


def test_the_identity_representation_varies_too(client):
    response = client.get("/big", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.json == DOCUMENT
    assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "suffix", "status"),
    [
        ("gzip", ":gzip", 304),  # the compressed copy a cache holds is still good
        ("br", ":br", 304),
        ("", "", 304),  # the view's own check
        ("gzip", ":br", 200),  # another representation: send this one
        ("", ":gzip", 200),
    ],
)
def test_if_none_match_matches_each_form_for_its_own_representation(client, accept, suffix, status):
    etag = identity_etag(client)
    headers = {"If-None-Match": f'"{etag}{suffix}"', "Accept-Encoding": accept}
    response = client.get("/big", headers=headers)
    assert response.status_code == status
    assert "Content-Encoding" not in response.headers or status == 200
    if status == 304:
        assert response.get_data() == b""


def test_tiny_bodies_and_images_stay_as_they_are(client):
    for path in ("/tiny", "/image"):
        response = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert "Content-Encoding" not in response.headers, path


def test_markdown_is_compressed(client):
    response = client.get("/post.md", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()).startswith(b"# Title")


def test_the_api_revalidates_each_representation(app, import_site, sample_sites):
    """The real API on each backend: its ETag hook runs before compression."""
    import_site(sample_sites / "techblog")
    client = app.test_client()
    url = "/api/v1/sites/techblog/posts"
    plain = client.get(url)
    etag = plain.get_etag()[0]
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        compressed = client.get(url, headers={"Accept-Encoding": encoding})
        assert compressed.headers["ETag"] == f'"{etag}:{encoding}"'
        assert decode(compressed.get_data()) == plain.get_data()
        again = client.get(
            url, headers={"Accept-Encoding": encoding, "If-None-Match": compressed.headers["ETag"]}
        )
        assert (again.status_code, again.get_data()) == (304, b"")
    assert client.get(url, headers={"If-None-Match": f'"{etag}"'}).status_code == 304
