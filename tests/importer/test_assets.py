"""Assets in the importer: add, update, unchanged, remove, size limit, links, atomicity."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from mdcms_api.importer.assets import content_type
from mdcms_api.storage import migrations
from mdcms_api.storage.db import make_engine
from mdcms_api.storage.models import Asset, Site
from tests.sites import write_file, write_post

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_post(root, "2025-01-01-hello", title="Hello", body="![dot](assets/images/dot.png)\n")
    write_file(root, "assets/images/dot.png", PNG)
    write_file(root, "assets/images/ring.svg", SVG)
    write_file(root, "assets/files/notes.txt", "Notes.\n")
    return root


def stored(app) -> dict[str, tuple[str, int, str, bytes]]:
    """{path: (content type, size, sha256, bytes)} of every stored asset."""
    with app.extensions["mdcms.db"].sessions() as session:
        return {
            asset.path: (asset.content_type, asset.size, asset.sha256, asset.data)
            for asset in session.scalars(select(Asset))
        }


def bump_mtime(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_first_import_stores_every_asset(app, import_site, site):
    report = import_site(site)
    assert report.committed and not report.failed
    assert sorted(report.assets.added) == [
        "assets/files/notes.txt",
        "assets/images/dot.png",
        "assets/images/ring.svg",
    ]
    assert report.asset_summary() == "site: assets: 3 added, 0 updated, 0 unchanged, 0 removed"
    assets = stored(app)
    assert assets["images/dot.png"] == ("image/png", len(PNG), hashlib.sha256(PNG).hexdigest(), PNG)
    assert assets["images/ring.svg"][0] == "image/svg+xml"
    assert assets["files/notes.txt"][0] == "text/plain"


def test_a_second_import_changes_nothing(app, import_site, site):
    import_site(site)
    before = stored(app)
    report = import_site(site)
    assert report.assets.unchanged == 3
    assert not report.assets.changed
    assert stored(app) == before


def test_update_touch_and_remove(app, import_site, site):
    import_site(site)
    write_file(site, "assets/images/dot.png", PNG + b"more")
    bump_mtime(site / "assets/images/ring.svg")  # touched, not edited
    (site / "assets/files/notes.txt").unlink()
    write_file(site, "assets/new.bin", b"\x00\x01")
    report = import_site(site)
    assert report.assets.updated == ["assets/images/dot.png"]
    assert report.assets.unchanged == 1
    assert report.assets.removed == ["assets/files/notes.txt"]
    assert report.assets.added == ["assets/new.bin"]
    assets = stored(app)
    assert assets["images/dot.png"][3] == PNG + b"more"
    assert assets["new.bin"][0] == "application/octet-stream"
    assert "files/notes.txt" not in assets
    # The touched file's new stat was kept: the next sync skips it without reading it.
    assert import_site(site).assets.unchanged == 3


def test_asset_changes_leave_the_content_version_alone(app, import_site, site):
    first = import_site(site).content_version
    write_file(site, "assets/images/dot.png", PNG + b"more")
    assert import_site(site).content_version == first


def test_an_oversized_asset_is_an_error_and_is_not_imported(app, import_site, site):
    app.config["MDCMS_MAX_ASSET_BYTES"] = 100
    report = import_site(site)
    assert [str(problem) for problem in report.failed] == [
        "assets/images/dot.png: error: the file is 264 bytes, over the limit of 100 "
        "(MDCMS_MAX_ASSET_BYTES)"
    ]
    assert report.committed
    assert "images/dot.png" not in stored(app)
    assert sorted(stored(app)) == ["files/notes.txt", "images/ring.svg"]


def test_an_asset_grown_over_the_limit_keeps_its_previous_version(app, import_site, site):
    import_site(site)
    app.config["MDCMS_MAX_ASSET_BYTES"] = 300
    write_file(site, "assets/images/dot.png", PNG * 2)
    report = import_site(site)
    assert [problem.path for problem in report.failed] == ["assets/images/dot.png"]
    assert stored(app)["images/dot.png"][3] == PNG


def test_links_out_of_the_site_or_the_assets_folder_are_not_imported(
    app, import_site, site, tmp_path
):
    secret = write_file(tmp_path, "secret.txt", "password")
    write_file(site, "config.yml", "sitename: Site\n")
    (site / "assets/secret.txt").symlink_to(secret)
    (site / "assets/config.yml").symlink_to(site / "config.yml")
    (site / "assets/again.png").symlink_to(site / "assets/images/dot.png")
    report = import_site(site)
    assets = stored(app)
    assert "secret.txt" not in assets and "config.yml" not in assets
    assert assets["again.png"][3] == PNG  # a link within assets/ is that file
    problems = {problem.path: problem.message for problem in report.failed}
    assert "outside" in problems["assets/secret.txt"]
    assert "outside" in problems["assets/config.yml"]


def test_an_assets_folder_linked_out_of_the_site_is_not_imported(app, import_site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    write_file(elsewhere, "private.txt", "private")
    root = tmp_path / "site"
    write_post(root, "2025-01-01-hello", title="Hello")
    (root / "assets").symlink_to(elsewhere, target_is_directory=True)
    report = import_site(root)
    assert stored(app) == {}
    assert [problem.path for problem in report.failed] == ["assets/private.txt"]


def test_a_failed_import_leaves_the_assets_as_they_were(app, import_site, site):
    import_site(site)
    before = stored(app)
    write_file(site, "assets/images/dot.png", b"changed")
    write_file(site, "assets/added.txt", "added")
    (site / "assets/files/notes.txt").unlink()
    write_file(site, "posts/2025-01-02-broken.md", "---\ntitle: [unclosed\n---\nBody.\n")
    report = import_site(site, strict=True)
    assert not report.committed
    assert report.assets.changed  # counted, then rolled back with everything else
    assert stored(app) == before
    assert not import_site(site, dry_run=True).committed
    assert stored(app) == before


def test_removing_a_site_removes_its_assets(app, import_site, runner, site):
    import_site(site)
    result = runner.invoke(args=["remove-site", "site", "--yes"])
    assert result.exit_code == 0, result.output
    assert stored(app) == {}


def test_the_cli_prints_the_asset_line_before_the_summary(app, runner, site):
    result = runner.invoke(args=["import-site", str(site)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-2] == "site: assets: 3 added, 0 updated, 0 unchanged, 0 removed"
    assert lines[-1].startswith("site: 1 added,")


def test_sites_keep_their_assets_apart(app, import_site, site, tmp_path):
    other = tmp_path / "other"
    write_file(other, "assets/images/dot.png", b"other")
    import_site(site)
    import_site(other)
    with app.extensions["mdcms.db"].sessions() as session:
        rows = session.execute(select(Site.slug, Asset.path, Asset.size).join(Asset)).all()
    assert sorted(rows) == [
        ("other", "images/dot.png", 5),
        ("site", "files/notes.txt", 7),
        ("site", "images/dot.png", len(PNG)),
        ("site", "images/ring.svg", len(SVG)),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.PNG", "image/png"),
        ("a.svg", "image/svg+xml"),
        ("a.webp", "image/webp"),
        ("a.html", "text/html"),
        ("a.js", "text/javascript"),
        ("a.woff2", "font/woff2"),
        ("a.tar.gz", "application/gzip"),
        ("README", "application/octet-stream"),
    ],
)
def test_content_types_come_from_the_name(name, expected):
    assert content_type(name) == expected


def test_migration_0003_downgrades_and_upgrades(empty_database_url):
    engine = make_engine(empty_database_url)
    migrations.upgrade(engine)
    migrations.downgrade(engine, "0002")
    assert "assets" not in inspect(engine).get_table_names()
    assert "posts" in inspect(engine).get_table_names()
    migrations.upgrade(engine)
    assert "assets" in inspect(engine).get_table_names()
    engine.dispose()
