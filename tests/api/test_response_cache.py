"""The response cache: Flask's exact bytes without Flask, never stale, never private."""

from __future__ import annotations

import gzip
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from mdcms_api import create_app
from mdcms_api.cli import import_options
from mdcms_api.importer.sync import sync_site
from mdcms_api.serving.request_log import LOGGER_NAME
from mdcms_api.serving.response_cache import ResponseCacheMiddleware
from tests.sites import write_post

LIST = "/api/v1/sites/blog/posts?page_size=5"
POST = "/api/v1/sites/blog/posts/one"
TOKEN = "s3cret-token-for-tests"
ORIGIN = "https://a.example"
# Requests whose answers a shared key would mix up, each with its own variant of one header.
VARIANTS: list[dict[str, str]] = [
    {},
    {"Accept-Encoding": "gzip"},
    {"Accept-Encoding": "br"},
    {"Accept-Encoding": "gzip, deflate, br"},
    {"Accept-Encoding": "identity"},
    {"Origin": ORIGIN},
    {"Origin": "https://b.example"},
    {"Origin": ORIGIN, "Accept-Encoding": "gzip"},
    {"Accept": "text/markdown"},
    {"Accept": "text/html"},
    {"Accept": "text/html", "Accept-Encoding": "br"},
]
URLS = [
    LIST,
    POST,
    "/api/v1/sites/blog",
    "/api/v1/sites/blog/posts?author=raj-patel&page_size=1",
    "/api/v1/sites/blog/posts?page_size=1&author=raj-patel",  # the Link header repeats the order
    "/api/v1/sites/blog/posts?keyword=python&keyword=sql",
    "/api/v1/sites/blog/posts?q=words",
    "/api/v1/sites/blog/authors/raj-patel",
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    words = "Words about caching. " * 60  # long enough to be compressed
    write_post(root, "2025-01-01-one", words, title="One", author="Raj Patel", keywords="Python")
    write_post(
        root, "2025-01-02-two", words, title="Two", author="Raj Patel", keywords="Python, SQL"
    )
    write_post(root, "2025-01-03-secret", title="Secret", draft=True)
    return root


def make_app(database_url: str, **settings: Any) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": database_url, **settings})


@pytest.fixture
def reference(database_url: str) -> Iterator[FlaskClient]:
    """A client of the same database without the cache: what Flask itself answers."""
    app = make_app(database_url, MDCMS_RESPONSE_CACHE_SIZE=0)
    yield app.test_client()
    app.extensions["mdcms.db"].dispose()


def reached_flask(app: Flask) -> list[str]:
    """Record the path of every request that reaches Flask's request cycle."""
    paths: list[str] = []
    app.before_request(lambda: paths.append(request.full_path) and None)
    return paths


def middleware(app: Flask) -> ResponseCacheMiddleware:
    return app.extensions["mdcms.response_cache"]


def import_elsewhere(database_url: str, root: Path) -> None:
    """Sync ``root`` as another process or host would: an engine and connections of its own."""
    other = make_app(database_url, MDCMS_RESPONSE_CACHE_SIZE=0)
    try:
        with other.app_context():
            sync_site(other.extensions["mdcms.db"], root, import_options("blog", False, False))
    finally:
        other.extensions["mdcms.db"].dispose()


def assert_same(got: TestResponse, want: TestResponse) -> None:
    """The same status, headers in the same order and bytes; what is dated or per request aside."""

    def shape(response: TestResponse) -> list[tuple[str, str]]:
        return [
            (name, "<now>" if name == "Date" else value)
            for name, value in response.headers.to_wsgi_list()
            if name != "X-Request-Id"
        ]

    def body(response: TestResponse) -> bytes:
        data = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            return data[:4] + b"<mtime>" + data[8:]  # gzip dates its header to the second
        return data

    assert (got.status, shape(got), body(got)) == (want.status, shape(want), body(want))


def test_a_hit_never_enters_flask_and_reads_only_the_version(
    app, client, import_site, site, count_queries, monkeypatch
):
    import_site(site)
    paths = reached_flask(app)
    versions = middleware(app).versions
    reads: list[str] = []
    read = versions.read
    monkeypatch.setattr(versions, "read", lambda slug: reads.append(slug) or read(slug))
    first = client.get(LIST)
    with count_queries() as statements:
        second = client.get(LIST)
    assert_same(second, first)
    assert paths == ["/api/v1/sites/blog/posts?page_size=5"]  # the first request only
    assert statements == [] and reads == ["blog", "blog"]  # one version read per request


@pytest.mark.parametrize("origins", ["*", ORIGIN])
def test_every_variant_is_flasks_own_answer_first_time_and_again(
    database_url, import_site, site, origins
):
    import_site(site)
    cached_app = make_app(database_url, MDCMS_CORS_ORIGINS=origins)
    plain_app = make_app(database_url, MDCMS_CORS_ORIGINS=origins, MDCMS_RESPONSE_CACHE_SIZE=0)
    cached, plain = cached_app.test_client(), plain_app.test_client()
    paths = reached_flask(cached_app)
    for _ in range(2):  # the second round is all hits, in another order
        for url in URLS:
            for headers in VARIANTS:
                assert_same(cached.get(url, headers=headers), plain.get(url, headers=headers))
        VARIANTS.reverse()
    VARIANTS.reverse()
    assert len(paths) == len(URLS) * len(VARIANTS)
    assert cached.get(POST, headers={"Accept": "text/markdown"}).data.startswith(b"Words")
    gzipped = cached.get(LIST, headers={"Accept-Encoding": "gzip"})
    assert json.loads(gzip.decompress(gzipped.data)) == cached.get(LIST).json
    for app in (cached_app, plain_app):
        app.extensions["mdcms.db"].dispose()


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_revalidations_are_answered_as_flask_answers_them(
    client, reference, import_site, site, encoding
):
    import_site(site)
    headers = {"Accept-Encoding": encoding} if encoding else {}
    etag = client.get(LIST, headers=headers).headers["ETag"]
    base = etag.split(":")[0].rstrip('"') + '"'
    stale = '"0123456789abcdef0123456789abcdef"'
    expected = {
        etag: 304,
        f"W/{etag}": 304,  # weak comparison, as HTTP says for If-None-Match
        "*": 304,
        f"{stale}, {etag}": 304,
        base: 304,
        base[:-1] + ':gzip"': 304,
        stale: 200,
        f"W/{stale}": 200,
        "garbage": 200,
    }
    for _ in range(2):
        for value, status in expected.items():
            request_headers = {**headers, "If-None-Match": value}
            got = client.get(LIST, headers=request_headers)
            assert got.status_code == status, value
            assert_same(got, reference.get(LIST, headers=request_headers))
    last_modified = client.get(LIST).headers["Last-Modified"]
    for request_headers in (
        {"If-Modified-Since": last_modified},
        {"If-Modified-Since": last_modified, "If-None-Match": stale},  # If-None-Match wins
        {"If-Modified-Since": "Thu, 01 Jan 2004 00:00:00 GMT"},
    ):
        request_headers = {**headers, **request_headers}
        for _ in range(2):
            assert_same(
                client.get(LIST, headers=request_headers),
                reference.get(LIST, headers=request_headers),
            )


def test_an_import_elsewhere_is_seen_by_the_next_request(
    app, client, database_url, import_site, site
):
    import_site(site)
    before = client.get(LIST)
    assert client.get(LIST, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    write_post(site, "2025-01-04-three", title="Three")
    import_elsewhere(database_url, site)
    after = client.get(LIST)
    assert [p["slug"] for p in after.json["items"]] == ["three", "two", "one"]
    assert after.headers["ETag"] != before.headers["ETag"]
    again = client.get(LIST, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200 and again.data == after.data
    assert client.get(LIST, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_a_removed_and_reimported_site_is_never_served_from_before(
    app, client, runner, import_site, site
):
    import_site(site)
    before = client.get(POST)
    assert runner.invoke(args=["remove-site", "blog", "--yes"]).exit_code == 0
    assert client.get(POST).status_code == 404
    write_post(site, "2025-01-01-one", "Rewritten.\n", title="One again")
    import_site(site)  # the same slug; on SQLite even the same id and content version
    after = client.get(POST)
    assert after.json["title"] == "One again"
    assert after.headers["ETag"] != before.headers["ETag"]
    assert client.get(POST, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_drafts_and_previews_are_never_kept_or_served(app, client, import_site, site):
    app.config["MDCMS_PREVIEW_TOKEN"] = TOKEN
    import_site(site)
    preview = {"Authorization": f"Bearer {TOKEN}"}
    drafts = "/api/v1/sites/blog/posts/secret"
    for _ in range(2):
        public = client.get(LIST)
        assert {p["slug"] for p in public.json["items"]} == {"one", "two"}
        private = client.get(LIST + "&preview=true", headers=preview)
        assert {p["slug"] for p in private.json["items"]} == {"one", "two", "secret"}
        assert private.headers["Cache-Control"] == "private, no-store"
        assert client.get(LIST + "&preview=true").status_code == 401
        assert client.get(drafts).status_code == 404
        assert client.get(drafts + "?preview=true", headers=preview).json["title"] == "Secret"
        # Authorization without preview is left to Flask too.
        assert client.get(LIST, headers=preview).data == public.data
    kept = middleware(app).cache._entries.values()
    assert kept and all(b"secret" not in entry.body for entry in kept)
    assert all(("Cache-Control", "public, max-age=60") in entry.headers for entry in kept)


def test_errors_and_heads_are_left_to_flask(app, client, import_site, site):
    import_site(site)
    for _ in range(2):
        assert client.get("/api/v1/sites/blog/posts?nope=1").status_code == 400
        assert client.get("/api/v1/sites/blog/posts/missing").status_code == 404
        assert client.get("/api/v1/sites/nosuchsite/posts").status_code == 404
        assert client.head(LIST).status_code == 200
    assert len(middleware(app).cache) == 0
    write_post(site, "2025-01-05-missing", title="Missing no more")
    import_site(site)
    assert client.get("/api/v1/sites/blog/posts/missing").status_code == 200


class Lines(logging.Handler):
    """Collects the request log's JSON lines."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))


def test_hits_have_request_ids_and_log_lines(database_url, import_site, site):
    import_site(site)
    app = make_app(database_url, MDCMS_JSON_LOGS=True)
    client = app.test_client()
    handler = Lines()
    lines = handler.lines
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        client.get(LIST).close()
        hit = client.get(LIST, headers={"X-Request-Id": "hit-1"})
        hit.close()
        fresh = [client.get(LIST).headers["X-Request-Id"] for _ in range(2)]
        not_modified = client.get(LIST, headers={"If-None-Match": hit.headers["ETag"]})
        not_modified.close()
    finally:
        logger.removeHandler(handler)
        app.extensions["mdcms.db"].dispose()
    assert hit.headers["X-Request-Id"] == "hit-1"
    assert len(set(fresh)) == 2 and "hit-1" not in fresh
    assert not_modified.status_code == 304 and not_modified.headers["X-Request-Id"]
    logged = {line["request_id"]: line for line in lines}
    assert logged["hit-1"]["status"] == 200 and logged["hit-1"]["bytes"] == len(hit.data)
    assert lines[-1]["status"] == 304


def test_a_lost_connection_falls_back_to_flask_then_reconnects(app, client, import_site, site):
    import_site(site)
    first = client.get(LIST)
    versions = middleware(app).versions
    for _, connection in versions.idle:
        connection.close()  # as a restarted database server would leave it
    assert_same(client.get(LIST), first)
    app.extensions["mdcms.db"].dispose()  # closes the cache's own connections too
    assert versions.idle == []
    assert_same(client.get(LIST), first)
    assert len(versions.idle) == 1


def test_threads_never_see_a_mix_of_versions(app, database_url, import_site, site):
    import_site(site)
    bodies: dict[str, set[bytes]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def hammer() -> None:
        client = app.test_client()
        while not stop.is_set():
            for headers in ({}, {"Accept-Encoding": "gzip"}):
                response = client.get(LIST, headers=headers)
                with lock:
                    bodies.setdefault(response.headers["ETag"], set()).add(response.data)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for number in range(3):
            write_post(site, f"2025-02-0{number + 1}-more-{number}", title=f"More {number}")
            import_elsewhere(database_url, site)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert all(len(seen) == 1 for seen in bodies.values())  # one ETag, one body
    newest = app.test_client().get(LIST).json["items"][0]["slug"]
    assert newest == "more-2"


def test_a_size_of_zero_turns_it_off(database_url):
    app = make_app(database_url, MDCMS_RESPONSE_CACHE_SIZE=0)
    assert "mdcms.response_cache" not in app.extensions
    assert not isinstance(app.wsgi_app.app, ResponseCacheMiddleware)  # type: ignore[attr-defined]
    app.extensions["mdcms.db"].dispose()


def test_the_oldest_entries_make_room(database_url, import_site, site):
    import_site(site)
    app = make_app(database_url, MDCMS_RESPONSE_CACHE_SIZE=2)
    client = app.test_client()
    for size in (1, 2, 3):
        client.get(f"/api/v1/sites/blog/posts?page_size={size}")
    assert len(middleware(app).cache) == 2
    app.extensions["mdcms.db"].dispose()
