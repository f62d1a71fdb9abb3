"""Writing in batches gives exactly what writing everything at once gives, at any batch size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from mdcms_api.importer import write as write_module
from mdcms_api.storage.models import Author, Keyword, Page, Post, Site
from mdcms_api.storage.search import parse_query, search
from tests.search.conftest import documents, indexed
from tests.sites import write_file, write_page, write_post

SMALL_BATCH = 3
SKIPPED_COLUMNS = {"id", "site_id", "imported_at"}


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """Eleven posts and two pages: batches of three end in the middle of everything below."""
    root = tmp_path / "blog"
    for day in range(1, 12):
        write_post(
            root,
            f"2025-01-{day:02}-post-{day}",
            # odd days link to the first post
            f"Post {day} links to [the first](posts/2025-01-01-post-1.md).\n" if day % 2 else "",
            title=f"Post {day}",
            author=["Mei Lin", "Raj Patel"] if day % 2 else "Raj Patel",
            # Rust first appears in a later batch, then in other spellings: the first one wins
            keywords=["Python", "SQLite"] if day < 5 else ["rust", "Python"] if day % 2 else "Rust",
        )
    # broken, in the middle of the second batch: the other files still import
    write_file(root, "posts/2025-01-05-post-5.md", "---\ntitle: [unclosed\n---\nBody\n")
    # one slug in two batches: both files are refused
    write_post(root, "2025-01-02-twin", title="Twin one")
    write_post(root, "2025-01-10-twin", title="Twin two")
    write_page(root, "about", title="About", sort=1)
    write_page(root, "contact", title="Contact", sort=2)
    return root


def site_state(app, slug: str) -> dict:
    """Every row of one site, without ids and import times, comparable between sites (the
    site's own slug, in links, reads SITE)."""
    with app.extensions["mdcms.db"].sessions() as session:
        site_id = session.scalar(select(Site.id).where(Site.slug == slug))
        state: dict = {}
        for model in (Post, Page, Author, Keyword):
            columns = [c.key for c in model.__table__.columns if c.key not in SKIPPED_COLUMNS]
            rows = session.scalars(select(model).where(model.site_id == site_id))
            state[model.__tablename__] = sorted(
                tuple(repr(getattr(row, column)).replace(slug, "SITE") for column in columns)
                for row in rows
            )
        posts = session.scalars(select(Post).where(Post.site_id == site_id))
        state["links"] = sorted(
            (post.slug, [a.name for a in post.authors], [k.name for k in post.keywords])
            for post in posts
        )
        state["search"] = sorted(
            (hit.kind, hit.slug) for hit in search(session, site_id, parse_query("post")).hits
        )
        return state


def import_both(import_site, monkeypatch, root: Path) -> tuple:
    """Import ``root`` as site "small" in batches of three, and as "whole" in one batch."""
    monkeypatch.setattr(write_module, "BATCH_SIZE", SMALL_BATCH)
    small = import_site(root, "small")
    monkeypatch.setattr(write_module, "BATCH_SIZE", 10_000)
    whole = import_site(root, "whole")
    return small, whole


def summary(report) -> tuple:
    return (
        sorted(report.added),
        sorted(report.updated),
        sorted(report.removed),
        report.unchanged,
        sorted(str(problem) for problem in report.problems),
    )


def test_a_first_import_in_small_batches_writes_what_one_batch_writes(
    app, import_site, monkeypatch, blog
):
    small, whole = import_both(import_site, monkeypatch, blog)
    assert summary(small) == summary(whole)
    assert len(small.added) == 12  # 11 posts, one of them broken, and two pages
    assert {p.path for p in small.failed} == {
        "posts/2025-01-05-post-5.md",
        "posts/2025-01-02-twin.md",
        "posts/2025-01-10-twin.md",
    }
    state = site_state(app, "small")
    assert state == site_state(app, "whole")
    assert sorted(name for _slug, name in state["keywords"]) == ["'Python'", "'Rust'", "'SQLite'"]
    links = {slug: (authors, keywords) for slug, authors, keywords in state["links"]}
    assert links["post-7"] == (["Mei Lin", "Raj Patel"], ["Rust", "Python"])
    assert links["post-8"] == (["Raj Patel"], ["Rust"])
    assert indexed(app) == documents(app)


def test_a_re_sync_in_small_batches_writes_what_one_batch_writes(
    app, import_site, monkeypatch, blog
):
    import_both(import_site, monkeypatch, blog)
    # edits, touches, a fix, additions and removals, spread over several batches
    write_post(blog, "2025-01-03-post-3", title="Post 3, edited", keywords="Go, Python")
    write_post(blog, "2025-01-05-post-5", title="Post 5, fixed", author="Ada Obi")
    for day in (6, 8):  # touched, not edited
        path = blog / f"posts/2025-01-{day:02}-post-{day}.md"
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    (blog / "posts/2025-01-01-post-1.md").unlink()  # odd days link to it: re-rendered
    (blog / "pages/about.md").unlink()
    write_post(blog, "2025-02-01-new", title="New", keywords="Go")
    small, whole = import_both(import_site, monkeypatch, blog)
    assert summary(small) == summary(whole)
    assert "posts/2025-01-05-post-5.md" in small.added
    assert small.unchanged == 6  # posts 2, 4, 6, 8 and 10, and the contact page
    assert sorted(small.removed) == ["pages/about.md", "posts/2025-01-01-post-1.md"]
    assert sorted(small.updated) == [
        f"posts/2025-01-{day:02}-post-{day}.md" for day in (3, 7, 9, 11)
    ]
    state = site_state(app, "small")
    assert state == site_state(app, "whole")
    assert "'Go'" in {name for _slug, name in state["keywords"]}
    assert indexed(app) == documents(app)
