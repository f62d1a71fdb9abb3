"""Fixtures for the API tests: small sites on disk, the sample sites imported, a JSON getter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from tests.sites import write_file, write_page, write_post

PREVIEW_TOKEN = "preview-token-for-tests"


@pytest.fixture
def get(client: FlaskClient) -> Callable[..., TestResponse]:
    """GET a path with query parameters (lists repeat), e.g. ``get(url, author=["a", "b"])``."""

    def run(path: str, headers: dict[str, str] | None = None, **params: Any) -> TestResponse:
        return client.get(path, query_string=params, headers=headers or {})

    return run


@pytest.fixture
def blog(tmp_path: Path, import_site: Callable[..., Any]) -> Path:
    """A small blog: three published posts by two authors, one draft; a draft-only author."""
    root = tmp_path / "blog"
    write_file(root, "config.yml", "sitename: Blog\ntimezone: Europe/Oslo\n")
    write_post(
        root,
        "2024-01-10-first",
        title="First",
        created="2024-01-10 09:00",
        author="Ann Lee",
        keywords="SQL, Python",
    )
    write_post(
        root,
        "2024-02-20-second",
        title="second",
        created="2024-02-20 23:30",
        modified="2024-06-01 10:00",
        author=["Bo Ek", "Ann Lee"],
        keywords=["Python", "HTTP"],
        image="hero.jpg",
    )
    write_post(
        root,
        "2024-03-05-third",
        title="Third",
        created="2024-03-05 08:00",
        author="Bo Ek",
        keywords="SQL, HTTP, Python",
    )
    write_post(
        root,
        "2024-02-25-secret",
        title="Secret",
        created="2024-02-25 12:00",
        author="Drafty Dan",
        keywords="Python, Hidden",
        draft=True,
    )
    write_page(root, "about", title="About")
    write_page(root, "install", title="Install", section_id="guide", sort=2)
    write_page(root, "start", title="Start", section_id="guide", sort=1)
    write_page(root, "wip", title="WIP", draft=True)
    report = import_site(root, "blog")
    assert not report.failed, report.summary()
    return root


@pytest.fixture
def samples(sample_sites: Path, import_site: Callable[..., Any]) -> None:
    """The shipped sample sites, imported."""
    for name in ("techblog", "handbook"):
        assert not import_site(sample_sites / name).failed


@pytest.fixture
def preview_app(app: Flask) -> Flask:
    """The app with a preview token configured."""
    app.config["MDCMS_PREVIEW_TOKEN"] = PREVIEW_TOKEN
    return app


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """A context manager counting the SQL statements run inside it: ``with count() as n``."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []
        engine = app.extensions["mdcms.db"].engine

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.startswith("BEGIN"):  # SQLite's explicit transactions
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


def slugs(response: TestResponse) -> list[str]:
    """The slugs of a list response's items, in order."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["slug"] for item in response.get_json()["items"]]
