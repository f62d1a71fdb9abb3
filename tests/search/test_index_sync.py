"""The importer keeps the search index in step with the documents, in the same transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdcms_api.importer import prepare as prepare_module
from mdcms_api.storage.queries import remove_site
from tests.search.conftest import documents, indexed, slugs
from tests.sites import write_file, write_page, write_post


@pytest.fixture
def blog(root: Path, import_site) -> Path:
    write_post(root, "2025-01-01-otters", "Otters hold hands.\n", title="Otters")
    write_post(root, "2025-01-02-beavers", "Beavers build dams.\n", title="Beavers")
    write_page(root, "about", "About the river.\n", title="About")
    assert import_site(root).committed
    return root


def test_every_document_is_indexed(blog, app):
    assert indexed(app) == documents(app) and len(indexed(app)) == 3


def test_an_edit_replaces_the_entry(blog, app, import_site, find):
    write_post(blog, "2025-01-01-otters", "Otters float on their backs.\n", title="Sea otters")
    import_site(blog)
    assert slugs(find("float")) == ["otters"]
    assert slugs(find("hands")) == []
    assert find("sea").hits[0].title == "Sea otters"
    assert indexed(app) == documents(app)


def test_a_deleted_file_leaves_the_index(blog, app, import_site, find):
    (blog / "posts/2025-01-02-beavers.md").unlink()
    (blog / "pages/about.md").unlink()
    import_site(blog)
    assert slugs(find("beavers OR river")) == []
    assert indexed(app) == documents(app) and len(indexed(app)) == 1


def test_a_renamed_file_is_found_once(blog, app, import_site, find):
    (blog / "posts/2025-01-02-beavers.md").rename(blog / "posts/2025-02-01-beavers.md")
    import_site(blog)
    assert slugs(find("dams")) == ["beavers"]
    assert indexed(app) == documents(app)


def test_removing_a_site_removes_its_entries(blog, app, tmp_path, import_site, find):
    write_post(tmp_path / "other", "2025-01-01-x", "Otters too.\n", title="X")
    import_site(tmp_path / "other")
    with app.extensions["mdcms.db"].writing() as session:
        assert remove_site(session, "blog")
    assert slugs(find("otters", site="other")) == ["x"]
    assert indexed(app) == documents(app) and len(indexed(app)) == 1


def test_a_strict_import_that_fails_leaves_the_index_as_it_was(blog, app, import_site, find):
    before = indexed(app)
    write_post(blog, "2025-01-01-otters", "Otters float.\n", title="Sea otters")
    write_file(blog, "posts/2025-03-01-broken.md", "---\ntitle: [unclosed\n---\nBody\n")
    assert not import_site(blog, strict=True).committed
    assert indexed(app) == before
    assert slugs(find("hands")) == ["otters"] and slugs(find("float")) == []


def test_a_dry_run_leaves_the_index_as_it_was(blog, app, import_site, find):
    before = indexed(app)
    write_post(blog, "2025-03-01-herons", "Herons wait.\n", title="Herons")
    (blog / "posts/2025-01-02-beavers.md").unlink()
    assert not import_site(blog, dry_run=True).committed
    assert indexed(app) == before
    assert slugs(find("herons")) == [] and slugs(find("beavers")) == ["beavers"]


def test_a_crash_half_way_leaves_the_index_as_it_was(blog, app, import_site, monkeypatch, find):
    before = indexed(app)
    for day in range(10, 16):
        write_post(blog, f"2025-04-{day}-heron-{day}", "Herons wait.\n", title=f"Heron {day}")
    (blog / "pages/about.md").unlink()
    original, calls = prepare_module.prepare, []

    def failing_prepare(*args, **kwargs):
        calls.append(args)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "prepare", failing_prepare)
    with pytest.raises(KeyboardInterrupt):
        import_site(blog)
    assert indexed(app) == before
    assert slugs(find("herons")) == [] and slugs(find("river")) == ["about"]


def test_drafts_and_keywords_are_indexed(root, app, import_site, find):
    write_post(root, "2025-01-01-d", "Body.\n", title="Draft", draft=True, keywords="Kingfisher")
    import_site(root)
    assert slugs(find("kingfisher")) == []
    assert slugs(find("kingfisher", include_drafts=True)) == ["d"]
