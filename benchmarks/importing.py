"""The import benchmarks: full import, no-change re-sync and one-changed-file re-sync."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus import CACHE_DIR, SITE_SLUG, Corpus
from benchmarks.databases import database_exists, database_url, fresh_database
from benchmarks.procs import VENV_BIN, Measured, run_measured

_SUMMARY = re.compile(
    r"(?P<added>\d+) added, (?P<updated>\d+) updated, (?P<unchanged>\d+) unchanged, "
    r"(?P<removed>\d+) removed, (?P<failed>\d+) failed, (?P<warnings>\d+) warnings"
)


@dataclass
class ImportResults:
    """Every timed run of one corpus size; ``problems`` lists runs that did not do the job."""

    n: int
    full: list[Measured] = field(default_factory=list)
    unchanged: list[Measured] = field(default_factory=list)
    one_changed: list[Measured] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def work_site(corpus: Corpus) -> Path:
    """A copy of the corpus made of hard links, so that edits never touch the cached files."""
    site = CACHE_DIR / "work" / corpus.root.name
    shutil.rmtree(site, ignore_errors=True)
    (site / "posts").mkdir(parents=True)
    os.link(corpus.root / "config.yml", site / "config.yml")
    for name in os.listdir(corpus.root / "posts"):
        os.link(corpus.root / "posts" / name, site / "posts" / name)
    return site


def import_argv(site: Path) -> list[str]:
    """The command a writer runs, through the real CLI (start-up included in the time)."""
    flask = str(VENV_BIN / "flask")
    return [flask, "--app", "mdcms_api", "import-site", str(site), "--site", SITE_SLUG]


def run_import(site: Path, url: str, n: int) -> Measured:
    """One `flask import-site` subprocess against the database at ``url``."""
    env = {**os.environ, "DATABASE_URL": url}
    return run_measured(import_argv(site), env=env, timeout=120 + n * 0.2)


def counts(measured: Measured) -> dict[str, int] | None:
    """The numbers of the CLI's summary line, or None when it printed none."""
    match = _SUMMARY.search(measured.output)
    return None if match is None else {k: int(v) for k, v in match.groupdict().items()}


def check(measured: Measured, what: str, **expected: int) -> str | None:
    """A message when the run failed or its summary does not show the expected counts."""
    found = counts(measured)
    tail = measured.output.strip().splitlines()[-3:]
    if measured.returncode != 0 or found is None:
        return f"{what}: exit {measured.returncode}: {' / '.join(tail)}"
    wrong = {k: found[k] for k, v in expected.items() if found[k] != v}
    return f"{what}: expected {expected}, got {wrong}" if wrong else None


def edit_one(site: Path, relative: str, round_: int) -> None:
    """Edit one post's body as a writer would: a new file, a new size and a later mtime."""
    path = site / relative
    text = path.read_text(encoding="utf-8")
    path.unlink()  # break the hard link: the cached original stays as it was
    path.write_text(text + f"\nAn edit made by the benchmark, round {round_}.\n", encoding="utf-8")
    later = time.time_ns() + (round_ + 1) * 1_000_000_000
    os.utime(path, ns=(later, later))


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _full_imports(corpus: Corpus, backend: str, runs: int, results: ImportResults) -> Path:
    site = work_site(corpus)
    for run in range(runs):
        url = fresh_database(backend, corpus.n)
        measured = run_import(site, url, corpus.n)
        results.full.append(measured)
        _progress(f"  full import of {corpus.n}: {measured.seconds:.1f} s (run {run + 1}/{runs})")
        problem = check(measured, f"full import {corpus.n}", added=corpus.n, failed=0)
        if problem:
            results.problems.append(problem)
    return site


def benchmark_imports(
    corpus: Corpus, backend: str, *, full_runs: int, resync_runs: int
) -> ImportResults:
    """Time ``full_runs`` full imports, then ``resync_runs`` re-syncs of each kind."""
    results = ImportResults(n=corpus.n)
    site = _full_imports(corpus, backend, full_runs, results)
    url = database_url(backend, corpus.n)
    if results.problems:
        return results  # re-syncs of a broken import would measure nothing useful
    for _ in range(resync_runs):
        measured = run_import(site, url, corpus.n)
        results.unchanged.append(measured)
        problem = check(measured, f"no-change re-sync {corpus.n}", unchanged=corpus.n, updated=0)
        if problem:
            results.problems.append(problem)
    posts = corpus.post_paths()
    for round_ in range(resync_runs):
        edit_one(site, posts[(len(posts) // 2 + round_) % len(posts)], round_)
        measured = run_import(site, url, corpus.n)
        results.one_changed.append(measured)
        problem = check(measured, f"one-changed re-sync {corpus.n}", updated=1, added=0)
        if problem:
            results.problems.append(problem)
    _progress(
        f"  re-syncs of {corpus.n}: no change "
        + ", ".join(f"{m.seconds:.2f}" for m in results.unchanged)
        + " s; one changed "
        + ", ".join(f"{m.seconds:.2f}" for m in results.one_changed)
        + " s"
    )
    return results


def schema_is_current(url: str) -> bool:
    """Whether the database at ``url`` is at the newest migration of the code measured."""
    argv = [str(VENV_BIN / "flask"), "--app", "mdcms_api", "db", "current"]
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    fields = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    head = fields.get("head", "").split(" ", 1)[0]
    return done.returncode == 0 and bool(head) and fields.get("current") == head


def ensure_imported(corpus: Corpus, backend: str) -> str:
    """The URL of a database holding ``corpus``, imported (untimed) unless a run left one.

    A database left by an older version of the code (an older schema) is imported afresh.
    """
    url = database_url(backend, corpus.n)
    if not database_exists(backend, corpus.n) or not schema_is_current(url):
        _progress(f"importing {corpus.n} posts (untimed: the database is needed, not measured)")
        measured = run_import(work_site(corpus), fresh_database(backend, corpus.n), corpus.n)
        problem = check(measured, f"import {corpus.n}", added=corpus.n, failed=0)
        if problem:
            raise SystemExit(problem)
    return database_url(backend, corpus.n)
