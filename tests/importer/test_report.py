"""The report's compact path lists behave as the lists of paths they stand for."""

from __future__ import annotations

import pytest

from mdcms_api.importer.report import PathList

PATHS = ["posts/2025-01-01-a.md", "pages/école.md", "posts/\udc80odd.md", "posts/z.md"]


def test_a_path_list_is_the_list_of_its_paths():
    paths = PathList(PATHS[:2])
    paths.append(PATHS[2])
    paths.extend(PATHS[3:])
    assert paths == PATHS and list(paths) == PATHS
    assert PATHS == paths  # noqa: SIM300 (a list on the left asks the path list too)
    assert len(paths) == 4 and paths[1] == "pages/école.md" and paths[-1] == "posts/z.md"
    assert paths[1:3] == PATHS[1:3] and sorted(paths) == sorted(PATHS)
    assert "posts/z.md" in paths and "posts/y.md" not in paths
    assert paths != PATHS[:3] and PathList() == [] and repr(PathList(["a"])) == "['a']"
    with pytest.raises(IndexError):
        paths[4]
