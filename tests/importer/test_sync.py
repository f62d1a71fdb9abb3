"""The importer's sync: add, update, unchanged, remove, broken files, strict, dry run, atomicity."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mdcms_api.importer import prepare as prepare_module
from mdcms_api.storage.models import Author, Keyword, Page, Post, Site
from tests.sites import write_file, write_page, write_post


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    write_file(
        root, "config.yml", "sitename: The Blog\nsitedescription: Notes.\ntimezone: Europe/Oslo\n"
    )
    write_post(
        root, "2025-01-01-first", title="First", author="Raj Patel", keywords="SQLite, Python"
    )
    write_post(
        root, "2025-01-02-second", title="Second", author="Mei Lin", keywords=["python", "HTTP"]
    )
    write_page(root, "about", title="About", section_id="info", sort=0)
    return root


def rows(app, model):
    with app.extensions["mdcms.db"].sessions() as session:
        return {row.slug: row for row in session.scalars(select(model))}


def snapshot(app) -> dict:
    """Everything the database holds that a sync can change, comparable between runs."""
    with app.extensions["mdcms.db"].sessions() as session:
        state = {}
        for model in (Site, Post, Page, Author, Keyword):
            columns = [column.key for column in model.__table__.columns]
            state[model.__tablename__] = sorted(
                tuple(repr(getattr(row, column)) for column in columns)
                for row in session.scalars(select(model))
            )
        return state


def bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_first_import_adds_everything(app, import_site, site):
    report = import_site(site)
    assert report.committed
    assert sorted(report.added) == [
        "pages/about.md",
        "posts/2025-01-01-first.md",
        "posts/2025-01-02-second.md",
    ]
    posts = rows(app, Post)
    assert posts["first"].title == "First"
    assert [a.name for a in posts["first"].authors] == ["Raj Patel"]
    assert [k.slug for k in posts["second"].keywords] == ["python", "http"]
    # "Python" and "python" are one keyword; the first spelling imported wins
    assert {k.slug: k.name for k in rows(app, Keyword).values()} == {
        "sqlite": "SQLite",
        "python": "Python",
        "http": "HTTP",
    }
    page = rows(app, Page)["about"]
    assert (page.section_id, page.sort) == ("info", 0)
    site_row = rows(app, Site)["blog"]
    assert (site_row.name, site_row.description, site_row.timezone) == (
        "The Blog",
        "Notes.",
        "Europe/Oslo",
    )
    assert site_row.content_version == 1 and site_row.last_import_at is not None


def test_second_import_reads_nothing_and_changes_nothing(app, import_site, site, monkeypatch):
    import_site(site)
    before = snapshot(app)
    calls = []
    original = prepare_module.prepare
    monkeypatch.setattr(
        prepare_module, "prepare", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    report = import_site(site)
    assert (report.added, report.updated, report.removed, report.unchanged) == ([], [], [], 3)
    assert calls == []  # nothing re-parsed or re-rendered
    assert snapshot(app) == before  # content version included: nothing changed


def test_touched_but_identical_file_is_unchanged(app, import_site, site):
    import_site(site)
    bump_mtime(site / "posts/2025-01-01-first.md")
    report = import_site(site)
    assert report.unchanged == 3 and not report.changed
    assert rows(app, Site)["blog"].content_version == 1


def test_edit_delete_add(app, import_site, site):
    import_site(site)
    write_post(
        site, "2025-01-01-first", title="First, edited", author="Raj Patel", keywords="SQLite"
    )
    bump_mtime(site / "posts/2025-01-01-first.md")
    (site / "posts/2025-01-02-second.md").unlink()
    write_post(site, "2025-02-01-third", title="Third", author="Ingrid Solberg")
    report = import_site(site)
    assert report.updated == ["posts/2025-01-01-first.md"]
    assert report.removed == ["posts/2025-01-02-second.md"]
    assert report.added == ["posts/2025-02-01-third.md"]
    assert report.unchanged == 1
    posts = rows(app, Post)
    assert set(posts) == {"first", "third"}
    assert posts["first"].title == "First, edited"
    # authors and keywords no longer used are gone
    assert set(rows(app, Author)) == {"raj-patel", "ingrid-solberg"}
    assert set(rows(app, Keyword)) == {"sqlite"}
    assert rows(app, Site)["blog"].content_version == 2


def test_broken_new_file_is_reported_and_the_rest_syncs(app, import_site, site):
    write_file(site, "posts/2025-03-01-broken.md", "---\ntitle: [unclosed\n---\nBody\n")
    write_post(site, "2025-03-02-fine", title="Fine")
    report = import_site(site)
    assert [p.path for p in report.failed] == ["posts/2025-03-01-broken.md"]
    assert report.failed[0].line is not None
    assert "posts/2025-03-02-fine.md" in report.added
    assert "broken" not in rows(app, Post)


def test_broken_existing_file_keeps_its_previous_version(app, import_site, site):
    import_site(site)
    write_file(
        site, "posts/2025-01-01-first.md", "---\ntitle: First\ndraft: maybe\n---\nNew body\n"
    )
    bump_mtime(site / "posts/2025-01-01-first.md")
    report = import_site(site)
    assert [p.path for p in report.failed] == ["posts/2025-01-01-first.md"]
    assert "draft" in report.failed[0].message
    post = rows(app, Post)["first"]
    assert post.markdown == "Some text.\n" and post.title == "First"
    # still broken next time: still reported, still the old version
    report = import_site(site)
    assert [p.path for p in report.failed] == ["posts/2025-01-01-first.md"]


def test_strict_aborts_on_any_broken_file(app, import_site, site):
    import_site(site)
    before = snapshot(app)
    write_post(site, "2025-03-02-fine", title="Fine")
    write_file(site, "posts/2025-03-01-broken.md", "---\n- a list\n---\n")
    report = import_site(site, strict=True)
    assert not report.committed and report.failed
    assert "aborted" in report.summary()
    assert snapshot(app) == before


def test_dry_run_reports_and_changes_nothing(app, import_site, site):
    import_site(site)
    before = snapshot(app)
    write_post(site, "2025-03-02-new", title="New")
    (site / "pages/about.md").unlink()
    report = import_site(site, dry_run=True)
    assert report.added == ["posts/2025-03-02-new.md"] and report.removed == ["pages/about.md"]
    assert "would be added" in report.summary()
    assert snapshot(app) == before


def test_failure_half_way_leaves_the_database_unchanged(app, import_site, site, monkeypatch):
    import_site(site)
    before = snapshot(app)
    for day in range(10, 20):
        write_post(site, f"2025-04-{day}-post-{day}", title=f"Post {day}")
    original = prepare_module.prepare
    calls = []

    def failing_prepare(*args, **kwargs):
        calls.append(args)
        if len(calls) == 5:
            raise KeyboardInterrupt  # Ctrl-C half-way through
        return original(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "prepare", failing_prepare)
    with pytest.raises(KeyboardInterrupt):
        import_site(site)
    assert snapshot(app) == before
    monkeypatch.setattr(prepare_module, "prepare", original)
    report = import_site(site)
    assert len(report.added) == 10


def test_duplicate_slugs_name_both_files(app, import_site, site):
    write_post(site, "2025-05-01-same", title="One")
    write_post(site, "2025-05-02-same", title="Two")
    report = import_site(site)
    failed = {p.path: p.message for p in report.failed}
    assert set(failed) == {"posts/2025-05-01-same.md", "posts/2025-05-02-same.md"}
    assert "posts/2025-05-02-same.md" in failed["posts/2025-05-01-same.md"]


def test_missing_title_is_a_warning_not_an_error(app, import_site, site):
    write_post(site, "2025-06-01-no-title-here", author="Mei Lin")
    report = import_site(site)
    assert not report.failed
    assert [p.path for p in report.warnings] == ["posts/2025-06-01-no-title-here.md"]
    assert rows(app, Post)["no-title-here"].title == "No Title Here"


def test_oversized_file_is_refused(app, import_site, site):
    app.config["MDCMS_MAX_FILE_BYTES"] = 1000
    write_post(site, "2025-07-01-big", "word " * 1000, title="Big")
    report = import_site(site)
    assert [p.path for p in report.failed] == ["posts/2025-07-01-big.md"]
    assert "MDCMS_MAX_FILE_BYTES" in report.failed[0].message


def test_broken_config_aborts_with_no_change(app, import_site, site):
    import_site(site)
    before = snapshot(app)
    write_file(site, "config.yml", "timezone: Mars/Olympus\n")
    report = import_site(site)
    assert not report.committed
    assert report.failed[0].path == "config.yml"
    assert snapshot(app) == before


def test_config_change_rerenders_every_document(app, import_site, site):
    import_site(site)
    write_file(site, "config.yml", "sitename: Renamed\ntimezone: UTC\n")
    report = import_site(site)
    assert len(report.updated) == 3
    assert rows(app, Site)["blog"].name == "Renamed"


def test_symlink_out_of_the_site_is_not_followed(app, import_site, site, tmp_path):
    secret = write_file(tmp_path, "secret.md", "---\ntitle: Secret\n---\nDo not import.\n")
    (site / "posts/2025-08-01-link.md").symlink_to(secret)
    report = import_site(site)
    assert "link" not in rows(app, Post)
    assert any(
        p.path == "posts/2025-08-01-link.md" and "outside" in p.message for p in report.problems
    )


def test_many_sites_in_one_database(app, import_site, site, tmp_path):
    other = tmp_path / "other"
    write_post(other, "2025-01-01-first", title="Same slug, other site")
    import_site(site)
    import_site(other)
    with app.extensions["mdcms.db"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Site)) == 2
        assert (
            session.scalar(select(func.count()).select_from(Post).where(Post.slug == "first")) == 2
        )


def test_a_link_written_before_its_target_resolves_when_the_target_arrives(app, import_site, site):
    write_post(
        site,
        "2025-09-01-linking",
        "See [the next one](posts/2025-09-02-target.md) and ![a map](assets/map.png).\n",
        title="Linking",
    )
    report = import_site(site)
    assert {p.message for p in report.warnings} == {
        "link to missing document posts/2025-09-02-target.md",
        "missing asset assets/map.png",
    }
    write_post(site, "2025-09-02-target", title="Target")
    write_file(site, "assets/map.png", b"\x89PNG\r\n\x1a\n")
    report = import_site(site)
    assert report.updated == ["posts/2025-09-01-linking.md"]  # not edited, but re-rendered
    assert report.added == ["posts/2025-09-02-target.md"] and not report.warnings
    html = rows(app, Post)["linking"].html
    assert 'data-mdcms-slug="target"' in html and "/assets/map.png" in html
    # and when the target goes away again, the link is reported once more
    (site / "posts/2025-09-02-target.md").unlink()
    report = import_site(site)
    assert report.updated == ["posts/2025-09-01-linking.md"]
    assert [p.message for p in report.warnings] == [
        "link to missing document posts/2025-09-02-target.md"
    ]
    # nothing arrived or left: nothing is re-rendered
    assert import_site(site).updated == []
