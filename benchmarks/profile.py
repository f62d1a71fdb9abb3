"""Profiles behind the numbers: `python -m benchmarks.profile import|resync|endpoint` (cProfile)."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.corpus import CACHE_DIR, DEFAULT_SEED, ensure_corpus
from benchmarks.databases import fresh_database
from benchmarks.importing import ensure_imported, import_argv, work_site
from benchmarks.procs import VENV_BIN, run_measured
from benchmarks.serving import LIST_PATH

PROFILES = CACHE_DIR / "profiles"
_PACKAGE = re.compile(r"site-packages/([A-Za-z0-9_]+)")
_OURS = re.compile(r"/(mdcms_api(?:/[a-z_]+)?)/")
_C_METHOD = re.compile(r"of '([A-Za-z0-9_.]+)")


def group_of(filename: str, function: str) -> str:
    """A readable owner of a profiled function: a package, our module, or a C builtin."""
    if match := _PACKAGE.search(filename):
        return match[1]
    if match := _OURS.search(filename):
        return match[1].replace("/", ".")
    if filename == "~":  # a C function: name it by the object it belongs to
        owner = _C_METHOD.search(function)
        return f"C: {owner[1].split('.')[0] if owner else 'builtins'}"
    return f"stdlib: {Path(filename).stem}"


def by_group(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own (not cumulative) time per group, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        totals[group_of(filename, function)] += row[2]
    return sorted(totals.items(), key=lambda item: -item[1])


def summarise(path: Path, top: int = 20) -> None:
    """Print own time by group, then the top functions by cumulative and by own time."""
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\nown time by package/module (total {total:.2f} s under cProfile):")
    for group, seconds in by_group(stats)[:15]:
        print(f"  {seconds:8.2f} s {seconds / total:6.1%}  {group}")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def profile_import(size: int, seed: int, *, resync: bool) -> Path:
    """cProfile a whole `flask import-site` subprocess: a full import, or a no-change re-sync."""
    corpus = ensure_corpus(size, seed)
    if resync:
        url = ensure_imported(corpus, "sqlite")
        site = CACHE_DIR / "work" / corpus.root.name
        site = site if site.is_dir() else work_site(corpus)
        # Bring the database up to date first, so that the profiled run changes nothing.
        run_measured(import_argv(site), env={**os.environ, "DATABASE_URL": url})
    else:
        url, site = fresh_database("sqlite", size), work_site(corpus)
    out = PROFILES / f"{'resync' if resync else 'import'}-{size}.prof"
    flask = import_argv(site)[1:]  # the CLI's arguments, run under `python -m cProfile`
    argv = [str(VENV_BIN / "python"), "-m", "cProfile", "-o", str(out), "-m", "flask", *flask]
    env = {**os.environ, "DATABASE_URL": url}
    measured = run_measured(argv, env=env, timeout=120 + size * 0.5)
    print(measured.output.strip().splitlines()[-1])
    print(f"wall time under cProfile: {measured.seconds:.1f} s")
    return out


def profile_endpoint(size: int, seed: int, path: str, requests: int, headers: list[str]) -> Path:
    """cProfile ``requests`` requests to ``path`` in-process (the app without gunicorn)."""
    from mdcms_api import create_app

    url = ensure_imported(ensure_corpus(size, seed), "sqlite")
    app = create_app({"DATABASE_URL": url})
    client = app.test_client()
    extra = dict(header.split(": ", 1) for header in headers)
    if "If-None-Match" in extra and extra["If-None-Match"] == "auto":
        extra["If-None-Match"] = client.get(path).headers["ETag"]
    for _ in range(20):  # warm: connections, compiled statements, caches
        client.get(path, headers=extra)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        response = client.get(path, headers=extra)
    profiler.disable()
    elapsed = time.perf_counter() - started
    each = elapsed / requests * 1000
    print(f"{path}: {response.status_code}, {each:.2f} ms a request under cProfile")
    label = re.sub(r"[^a-z0-9]+", "-", path.rsplit("/posts", 1)[-1].lower()).strip("-") or "list"
    conditional = "-304" if extra.get("If-None-Match") else ""
    out = PROFILES / f"endpoint-{size}-{label[:40]}{conditional}.prof"
    profiler.dump_stats(out)
    return out


def main(argv: list[str] | None = None) -> None:
    """Profile the import or one endpoint, then print the summary."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("what", choices=("import", "resync", "endpoint"))
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--path", default=LIST_PATH, help="endpoint: path and query")
    parser.add_argument("--requests", type=int, default=500, help="endpoint: requests to time")
    parser.add_argument(
        "-H", dest="headers", action="append", default=[], help="'If-None-Match: auto'"
    )
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)
    PROFILES.mkdir(parents=True, exist_ok=True)
    if args.what in ("import", "resync"):
        out = profile_import(args.size, args.seed, resync=args.what == "resync")
    else:
        out = profile_endpoint(args.size, args.seed, args.path, args.requests, args.headers)
    summarise(out, args.top)
    print(f"profile saved to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
