"""The compact table of scanned documents, and plans made from the stored state in path order."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from mdcms_api.importer import plan as plan_module
from mdcms_api.importer.plan import duplicate_slugs
from mdcms_api.importer.scan import DocumentFiles, scan_site
from tests.sites import write_file, write_post

# Names whose order differs between a walk sorted by name, byte order and a locale's collation:
# "2025/" against "2025-", upper against lower case, accents, spaces and digits.
AWKWARD = [
    "posts/2025/05-01-nested.md",
    "posts/2025-01-01-dated.md",
    "posts/Zebra.md",
    "posts/apple.md",
    "posts/a b.md",
    "posts/ab.md",
    "posts/école.md",
    "posts/zèbre.md",
    "posts/10.md",
    "posts/9.md",
    "pages/about.md",
    "pages/About-us.md",
]


def awkward_site(root: Path) -> Path:
    for path in AWKWARD:
        front_matter = f"title: {path}\ncreated: 2025-01-01\n"
        write_file(root, path, f"---\n{front_matter}---\nSee [apple](posts/apple.md).\n")
    return root


def test_the_scan_lists_documents_in_path_order(tmp_path):
    files = scan_site(awkward_site(tmp_path / "site")).documents
    assert [source.path for source in files] == sorted(AWKWARD)
    assert [files.path(index) for index in range(len(files))] == sorted(AWKWARD)


def test_the_document_table_finds_paths_and_pickles_small(tmp_path):
    files = scan_site(awkward_site(tmp_path / "site")).documents
    for index, path in enumerate(sorted(AWKWARD)):
        assert files.position(path) == index
        assert files[index].path == path
    assert files.position("posts/missing.md") is None
    assert files.position("posts/zzz.md") is None and files.position("pages/a.md") is None
    by_path = files.by_path
    assert by_path["posts/2025-01-01-dated.md"] == ("post", "dated")
    assert by_path["pages/About-us.md"] == ("page", "About-us")
    assert "posts/missing.md" not in by_path and len(by_path) == len(AWKWARD)
    assert list(by_path) == sorted(AWKWARD)
    copy = pickle.loads(pickle.dumps(by_path))
    assert dict(copy) == dict(by_path)


def test_the_document_table_refuses_paths_out_of_order():
    files = DocumentFiles()
    files.append("posts/b.md", 1, 1)
    try:
        files.append("posts/a.md", 1, 1)
    except ValueError as error:
        assert "out of order" in str(error)
    else:
        raise AssertionError("a path out of order was accepted")


def test_a_re_sync_of_awkward_names_finds_every_stored_document(app, import_site, tmp_path):
    # If Python and the database ordered paths differently, the side-by-side walk would take
    # stored documents for removed ones (or refuse the order).
    root = awkward_site(tmp_path / "site")
    first = import_site(root)
    assert sorted(first.added) == sorted(AWKWARD) and not first.failed
    again = import_site(root)
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 12)
    # an edit and a removal that nothing links to: nothing else is read
    write_post(root, "2025-01-01-dated", "See [apple](posts/apple.md), edited.\n", title="Dated")
    path = root / "posts/2025-01-01-dated.md"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    (root / "posts/école.md").unlink()
    report = import_site(root)
    assert report.updated == ["posts/2025-01-01-dated.md"]
    assert report.removed == ["posts/école.md"] and report.unchanged == 10
    # the apple everyone links to goes: every other document is rendered again
    (root / "posts/apple.md").unlink()
    report = import_site(root)
    assert report.removed == ["posts/apple.md"]
    assert sorted(report.updated) == sorted(set(AWKWARD) - {"posts/apple.md", "posts/école.md"})


def test_duplicate_slugs_survive_shared_slots(tmp_path, monkeypatch):
    root = tmp_path / "site"
    for path in ("posts/2025-01-01-same.md", "posts/2025/02-same.md", "posts/other.md"):
        write_file(root, path, "---\ntitle: T\n---\n")
    write_file(root, "posts/2025/same.md", "---\ntitle: T\n---\n")
    write_file(root, "pages/same.md", "---\ntitle: T\n---\n")  # a page: another kind
    files = scan_site(root).documents
    expected = {
        files.position("posts/2025-01-01-same.md"),
        files.position("posts/2025/same.md"),
    }
    assert set(duplicate_slugs(files)) == expected
    monkeypatch.setattr(plan_module, "hash", lambda _identity: 0, raising=False)
    problems = duplicate_slugs(files)  # one slot for all: only real duplicates are reported
    assert set(problems) == expected
    assert "posts/2025/same.md" in problems[files.position("posts/2025-01-01-same.md")]
