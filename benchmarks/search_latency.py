"""Search latency: a generated site imported into each backend, then typical queries timed.

Usage: .venv/bin/python -m benchmarks.search_latency [N] [sqlite|postgresql ...]

It imports the cached N-post corpus (default 10,000) into its own databases, a SQLite file in
the system's temporary folder and the PostgreSQL database mdcms_search_bench on
$MDCMS_BENCH_POSTGRESQL_URL's server, and prints per query: matches, median and 95th
percentile of a first page of 20 hits (count, page, snippets), and of the ranked-id subquery
alone joined with posts (what a filtered post list pays).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import psycopg
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from benchmarks.corpus import SITE_SLUG, ensure_corpus
from benchmarks.databases import DEFAULT_POSTGRESQL_URL, POSTGRESQL_URL_VARIABLE
from mdcms_api.importer.sync import ImportOptions, sync_site
from mdcms_api.storage.db import Database
from mdcms_api.storage.migrations import upgrade
from mdcms_api.storage.models import Post, Site
from mdcms_api.storage.search import Query, SearchResults, parse_query, ranked_matches, search

QUERIES = (
    "checkpoint",
    "replication",
    "the",
    "slow cache timeout",
    '"circuit breaker"',
    "replication OR backups",
    "cache -sqlite",
    "migr*",
    "ca*",
    "zebra",
)
REPEATS = 30


def server_url() -> str:
    return os.environ.get(POSTGRESQL_URL_VARIABLE, DEFAULT_POSTGRESQL_URL)


def fresh_url(backend: str, n: int) -> str:
    if backend == "sqlite":
        path = Path(tempfile.gettempdir()) / f"mdcms-search-bench-n{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    with psycopg.connect(server_url(), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS mdcms_search_bench WITH (FORCE)")
        admin.execute("CREATE DATABASE mdcms_search_bench")
    return server_url().rsplit("/", 1)[0] + "/mdcms_search_bench"


def timed(action: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds, after one warm-up run."""
    action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def first_page(session: Session, site_id: int, query: Query) -> SearchResults:
    """What GET /sites/{site}/search pays: count, 20 hits, their snippets."""
    return search(session, site_id, query, kinds=("post",))


def ranked_ids(session: Session, site_id: int, query: Query) -> list[Row[tuple[int]]]:
    """What a post list with q and sort=relevance pays before loading its rows."""
    matches = ranked_matches(session, site_id, query, kinds=("post",))
    joined = (
        select(Post.id)
        .join(matches, matches.c.doc_id == Post.id)
        .where(Post.draft.is_(False))
        .order_by(matches.c.rank.desc())
        .limit(20)
    )
    session.execute(select(func.count()).select_from(joined.subquery()))
    return list(session.execute(joined).all())


def bench(backend: str, n: int) -> None:
    corpus = ensure_corpus(n)
    database = Database(fresh_url(backend, n))
    upgrade(database.engine)
    started = time.perf_counter()
    report = sync_site(database, corpus.root, ImportOptions(site=SITE_SLUG))
    print(f"\n{backend}: imported {n} posts in {time.perf_counter() - started:.0f} s")
    print(f"  {report.summary()}")
    print(f"  {'query':<26} {'matches':>7} {'page p50':>9} {'p95':>7} {'ids p50':>8} {'p95':>7}")
    with database.sessions() as session:
        site_id = session.scalar(select(Site.id).where(Site.slug == SITE_SLUG))
        for text in QUERIES:
            query = parse_query(text)
            total = first_page(session, site_id, query).total
            page_median, page_p95 = timed(partial(first_page, session, site_id, query))
            ids_median, ids_p95 = timed(partial(ranked_ids, session, site_id, query))
            print(
                f"  {text:<26} {total:>7} {page_median:>8.1f}ms {page_p95:>6.1f}ms"
                f" {ids_median:>7.1f}ms {ids_p95:>6.1f}ms"
            )
    database.dispose()


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 10_000
    backends = argv[1:] or ["sqlite", "postgresql"]
    if "postgresql" in backends:
        print(f"PostgreSQL server: {server_url()} (set {POSTGRESQL_URL_VARIABLE} to change)")
    for backend in backends:
        bench(backend, n)


if __name__ == "__main__":
    main(sys.argv[1:])
