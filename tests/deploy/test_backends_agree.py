"""A 1,000-post site imported into SQLite and into PostgreSQL: the same bytes for every URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from mdcms_api import create_app
from mdcms_api.content.slugs import slugify
from mdcms_api.storage.db import make_engine
from mdcms_api.storage.models import Site
from tests.corpus import GeneratedSite, generate_site, post_slug

POSTS = 1000
SITE = "corpus"
BASE = f"/api/v1/sites/{SITE}"
IMPORTED_AT = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> GeneratedSite:
    return generate_site(
        tmp_path_factory.mktemp("corpus") / "site", POSTS, seed=2026, body_bytes=120
    )


@pytest.fixture(scope="module")
def apps(
    site: GeneratedSite, postgres_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Flask]]:
    """The site imported into a fresh database of each backend, by `flask import-site`."""
    folder = tmp_path_factory.mktemp("backends")
    urls = {
        "sqlite": f"sqlite:///{folder / 'corpus.sqlite3'}",
        "postgresql": postgres_server.create_database(),
    }
    command = [sys.executable, "-m", "flask", "--app", "mdcms_api", "import-site"]
    # Both at once: each has a core of its own, and the test takes half as long.
    imports = {
        backend: subprocess.Popen(
            [*command, str(site.root), "--site", SITE],
            env={**os.environ, "DATABASE_URL": url},
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for backend, url in urls.items()
    }
    summaries = {}
    for backend, process in imports.items():
        output = process.communicate(timeout=300)[0]
        assert process.returncode == 0, f"{backend}: {output}"
        summaries[backend] = output.strip().splitlines()[-1]
    assert summaries["sqlite"] == summaries["postgresql"]
    for url in urls.values():
        _pin_import_time(url)
    built = {
        backend: create_app({"TESTING": True, "DATABASE_URL": url}) for backend, url in urls.items()
    }
    yield built
    for app in built.values():
        app.extensions["mdcms.db"].dispose()


def _pin_import_time(url: str) -> None:
    # The one value that differs by design: when each import ran. Pinned, every byte must agree.
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(update(Site).values(last_import_at=IMPORTED_AT))
    engine.dispose()


def _urls() -> list[str]:
    """What a frontend asks for: lists with every filter, sort and page edge, and single items."""
    # {author} and the like are filled in from the generated site by the test.
    author, other_author, keyword, other_keyword = "{a}", "{a2}", "{k}", "{k2}"
    posts = f"{BASE}/posts"
    return [
        "/api/v1/sites",
        BASE,
        posts,
        f"{posts}?page=2",
        f"{posts}?page_size=100&page=10",
        f"{posts}?page_size=7&page={{last_of_7}}",  # the last, partial page
        f"{posts}?page=999",  # past the end: an empty page
        f"{posts}?page_size=1000",  # over the maximum: the same error on both
        *(f"{posts}?sort={key}&page_size=50&page={page}" for key in _SORTS for page in (1, 9)),
        # Every title in order: case, accents, digits and punctuation sort alike on both.
        *(f"{posts}?sort=title&page_size=100&page={page}" for page in range(1, 11)),
        f"{posts}?author={author}",
        f"{posts}?author={author}&author={other_author}&sort=title",
        f"{posts}?keyword={keyword}",
        f"{posts}?keyword={keyword}&keyword={other_keyword}",
        f"{posts}?keyword={keyword}&author={author}&sort=-modified",
        f"{posts}?created_from=2021-01-01&created_to=2021-12-31&page_size=100",
        f"{posts}?created_from=2022-03-01T12:00:00Z&created_to=2022-03-31T12:00:00%2B02:00",
        f"{posts}?created_to=2019-01-31&include=html&include=markdown&include=text",
        f"{posts}?colour=blue",  # an unknown parameter: the same problem+json on both
        *(f"{posts}/{post_slug(index)}" for index in (0, 1, 499, 998, 999)),
        f"{posts}/no-such-post",
        f"{BASE}/authors",
        f"{BASE}/authors?sort=-post_count&page_size=100",
        f"{BASE}/authors/{author}",
        f"{BASE}/keywords",
        f"{BASE}/keywords?sort=name&page_size=100&page=2",
        f"{BASE}/keywords/{keyword}",
        f"{BASE}/pages",
        f"{BASE}/pages/page-000",
        "/api/v1/sites/no-such-site/posts",
    ]


_SORTS = ["created", "-created", "modified", "-modified", "title", "-title"]


def first_difference(left: Any, right: Any, where: str = "$") -> str | None:
    """The JSON path of the first place two parsed bodies differ, for a readable failure."""
    if type(left) is not type(right):
        return f"{where}: {left!r} != {right!r}"
    if isinstance(left, dict):
        for key in sorted(left.keys() | right.keys()):
            if key not in left or key not in right:
                return f"{where}.{key}: only on one side"
            found = first_difference(left[key], right[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list):
        for index, (a, b) in enumerate(zip(left, right, strict=False)):
            found = first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return None if len(left) == len(right) else f"{where}: {len(left)} != {len(right)} items"
    return None if left == right else f"{where}: {left!r} != {right!r}"


def _answer(app: Flask, url: str, accept: str) -> tuple[int, str, bytes]:
    response = app.test_client().get(url, headers={"Accept": accept})
    return response.status_code, response.content_type, response.get_data()


def _terms(site: GeneratedSite) -> dict[str, str]:
    authors = [slugify(name) for name in site.authors]
    keywords = [slugify(name) for name in site.keywords]
    public = site.posts - len(site.draft_slugs)
    return {
        "a": authors[0],
        "a2": authors[-1],  # a rare one
        "k": keywords[0],
        "k2": keywords[1],
        "last_of_7": str(-(-public // 7)),
    }


@pytest.mark.parametrize("template", _urls())
def test_the_same_json_from_both_databases(apps, site, template):
    url = template.format(**_terms(site))
    sqlite = _answer(apps["sqlite"], url, "application/json")
    postgresql = _answer(apps["postgresql"], url, "application/json")
    assert sqlite[:2] == postgresql[:2]
    if sqlite[2] != postgresql[2]:
        difference = first_difference(json.loads(sqlite[2]), json.loads(postgresql[2]))
        pytest.fail(f"the bodies differ (sqlite, then postgresql) at {difference}")


@pytest.mark.parametrize("accept", ["text/markdown", "text/html"])
def test_the_same_post_formats_from_both_databases(apps, accept):
    url = f"{BASE}/posts/{post_slug(499)}"
    assert _answer(apps["sqlite"], url, accept) == _answer(apps["postgresql"], url, accept)


def test_drafts_are_missing_from_both(apps, site):
    for slug in sorted(site.draft_slugs)[:5]:
        for backend, app in apps.items():
            status = app.test_client().get(f"{BASE}/posts/{slug}").status_code
            assert status == 404, f"{backend} shows the draft {slug}"
