"""The per-process response cache: same bytes for less work, never stale, never private."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from mdcms_api import create_app
from tests.sites import write_post

LIST = "/api/v1/sites/blog/posts?page_size=5"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    write_post(root, "2025-01-01-one", title="One", author="Raj Patel")
    write_post(root, "2025-01-02-secret", title="Secret", draft=True)
    return root


@pytest.fixture
def queries(app):
    """Counts the SQL statements the app runs."""
    statements: list[str] = []
    engine = app.extensions["mdcms.db"].engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    yield statements
    event.remove(engine, "before_cursor_execute", listener)


def test_a_repeated_request_costs_one_query_and_gets_the_same_bytes(
    client, import_site, site, queries
):
    import_site(site)
    first = client.get(LIST)
    queries.clear()
    second = client.get(LIST)
    assert second.status_code == 200 and second.data == first.data
    selects = [statement for statement in queries if not statement.startswith("BEGIN")]
    assert len(selects) == 1 and "content_version" in selects[0]  # the site's version only
    for header in ("ETag", "Cache-Control", "Last-Modified", "Link", "Content-Type"):
        assert second.headers[header] == first.headers[header]
    assert client.get(LIST, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert second.headers["Access-Control-Allow-Origin"] == "*"  # hooks still apply


def test_an_import_that_changes_the_site_is_seen_at_once(client, import_site, site):
    import_site(site)
    before = client.get(LIST)
    write_post(site, "2025-01-03-two", title="Two")
    import_site(site)
    after = client.get(LIST)
    assert [p["slug"] for p in after.json["items"]] == ["two", "one"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_each_representation_is_cached_apart(client, import_site, site):
    import_site(site)
    url = "/api/v1/sites/blog/posts/one"
    for _ in range(2):
        assert client.get(url).content_type == "application/json"
        markdown = client.get(url, headers={"Accept": "text/markdown"})
        assert markdown.content_type.startswith("text/markdown")
        assert markdown.data == b"Some text.\n"
        assert "Accept" in markdown.headers["Vary"]


def test_preview_is_never_cached(app, client, import_site, site):
    app.config["MDCMS_PREVIEW_TOKEN"] = "s3cret-token-for-tests"
    import_site(site)
    headers = {"Authorization": "Bearer s3cret-token-for-tests"}
    for _ in range(2):
        private = client.get(LIST + "&preview=true", headers=headers)
        assert {p["slug"] for p in private.json["items"]} == {"one", "secret"}
        assert private.headers["Cache-Control"] == "private, no-store"
        public = client.get(LIST)
        assert {p["slug"] for p in public.json["items"]} == {"one"}
    assert client.get(LIST + "&preview=true").status_code == 401


def test_errors_are_not_cached(client, import_site, site):
    import_site(site)
    for _ in range(2):
        assert client.get("/api/v1/sites/blog/posts?nope=1").status_code == 400
        assert client.get("/api/v1/sites/blog/posts/missing").status_code == 404


def test_a_size_of_zero_turns_it_off(database_url, import_site, site, tmp_path):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "MDCMS_RESPONSE_CACHE_SIZE": 0}
    )
    assert "mdcms.response_cache" not in app.extensions
    app.extensions["mdcms.db"].dispose()
