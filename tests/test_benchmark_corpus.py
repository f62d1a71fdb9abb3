"""The benchmark corpus generator: deterministic, and every post a valid document (not timed)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.corpus import write_corpus
from mdcms_api.content.document import parse_document
from mdcms_api.content.siteconfig import parse_site_config


def _files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "posts").iterdir())}


def test_same_seed_same_files_and_other_seed_other_files(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 40, seed=1)
    again = write_corpus(tmp_path / "b", 40, seed=1)
    other = write_corpus(tmp_path / "c", 40, seed=2)
    assert _files(first.root) == _files(again.root)
    assert _files(first.root) != _files(other.root)
    assert 6_000 < first.total_bytes / 40 < 11_000  # "about 8 KB" a post


def test_a_small_corpus_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    small = _files(write_corpus(tmp_path / "small", 10, seed=3).root)
    large = _files(write_corpus(tmp_path / "large", 20, seed=3).root)
    assert small.items() <= large.items()


def test_every_post_parses_as_a_document(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "site", 40, seed=4)
    config = parse_site_config((corpus.root / "config.yml").read_bytes())
    for name, raw in _files(corpus.root).items():
        document = parse_document(f"posts/{name}", raw, config)
        assert document.title and document.created and document.authors and document.keywords
