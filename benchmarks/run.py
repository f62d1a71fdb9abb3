"""Entry point: `python -m benchmarks.run` measures import and serving and prints one table."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from types import FrameType

from benchmarks import machine, rows
from benchmarks.corpus import CACHE_DIR, DEFAULT_SEED, Corpus, ensure_corpus
from benchmarks.importing import ImportResults, benchmark_imports, ensure_imported
from benchmarks.peer import peer_fits, run_peer
from benchmarks.procs import Measured
from benchmarks.serving import ServeResults, benchmark_serving, measure_api
from benchmarks.table import Row, format_table
from benchmarks.wrk import require_wrk

SCALE_SIZE = 100_000
SCALE_ENDPOINTS = ("list (20 summaries)", "author filter", "two-keyword filter")


@dataclass(frozen=True)
class Options:
    """The command line, parsed."""

    sizes: tuple[int, ...]
    scale: bool
    only: str | None
    backend: str
    seed: int
    duration: int
    full_runs: int | None
    resync_runs: int
    peer: bool
    serve_size: int
    wait_quiet: float
    server_env: tuple[str, ...] = ()

    def server_environment(self) -> dict[str, str]:
        """``--server-env KEY=VALUE`` options as a mapping."""
        return dict(item.split("=", 1) for item in self.server_env)


# What other work did to the machine before each section: printed under the table.
CONDITIONS: list[str] = []


def checkpoint(options: Options, section: str) -> None:
    """Wait for the machine to be quiet (if asked) and note how busy it was."""
    share = machine.wait_quiet(options.wait_quiet)
    CONDITIONS.append(
        f"{section}: other work used {share:.0%} of the CPUs just before; "
        f"code {machine.code_version()}"
    )
    _stderr(CONDITIONS[-1])


def parse_args(argv: list[str] | None = None) -> Options:
    """Read the options; the defaults are the issue's run (1k and 10k, serving the 10k DB)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes to import")
    parser.add_argument("--scale", action="store_true", help="also 100k posts (long)")
    parser.add_argument("--only", choices=("import", "serve"))
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint")
    parser.add_argument(
        "--full-runs", type=int, help="full imports per size (default: 3 up to 1k, else 1)"
    )
    parser.add_argument("--resync-runs", type=int, default=3)
    parser.add_argument("--no-peer", dest="peer", action="store_false")
    parser.add_argument("--serve-size", type=int, help="posts in the served DB (default: 10k)")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each section, wait up to this long for other work to stop",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set in the API server's environment (e.g. MDCMS_RESPONSE_CACHE_SIZE=0)",
    )
    args = parser.parse_args(argv)
    sizes = tuple(sorted(int(size) for size in args.sizes.split(",")))
    serve_size = args.serve_size or (10_000 if 10_000 in sizes else sizes[-1])
    return Options(
        sizes=sizes,
        scale=args.scale,
        only=args.only,
        backend=args.backend,
        seed=args.seed,
        duration=args.duration,
        full_runs=args.full_runs,
        resync_runs=args.resync_runs,
        peer=args.peer,
        serve_size=serve_size,
        wait_quiet=args.wait_quiet,
        server_env=tuple(args.server_env),
    )


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _full_runs(options: Options, n: int) -> int:
    return options.full_runs or (3 if n <= 1000 else 1)


def _peer_runs(options: Options, corpus: Corpus) -> tuple[list[Measured], list[str]]:
    if not options.peer or not peer_fits(corpus):
        return [], []
    measured, problems = [], []
    for _ in range(_full_runs(options, corpus.n)):
        run, problem = run_peer(corpus)
        measured.append(run)
        _stderr(f"  markdown-to-sqlite {corpus.n}: {run.seconds:.1f} s")
        if problem:
            problems.append(problem)
    return ([], problems) if problems else (measured, [])


def import_section(
    options: Options, sizes: tuple[int, ...]
) -> tuple[list[Row], dict[int, ImportResults]]:
    """Import every size (and run the peer on it); the rows and the raw results."""
    table: list[Row] = []
    results: dict[int, ImportResults] = {}
    for n in sizes:
        corpus = ensure_corpus(n, options.seed)
        checkpoint(options, f"import {n}")
        _stderr(f"importing {n} posts ({corpus.total_bytes / 1e6:.0f} MB of markdown)")
        result = benchmark_imports(
            corpus,
            options.backend,
            full_runs=_full_runs(options, n),
            resync_runs=options.resync_runs,
        )
        peer, peer_problems = _peer_runs(options, corpus) if n != SCALE_SIZE else ([], [])
        results[n] = result
        if result.full:
            table += rows.full_import_rows(result, peer)
        table += rows.resync_rows(result)
        table += rows.problem_rows(result.problems + peer_problems)
    ordered = [results[n] for n in sizes if results[n].full]
    if len(ordered) >= 2:
        table.append(rows.growth_row(ordered[0], ordered[-1]))
    return table, results


def serve_section(options: Options) -> tuple[list[Row], ServeResults]:
    """Every endpoint against the served DB, and the floor."""
    corpus = ensure_corpus(options.serve_size, options.seed)
    url = ensure_imported(corpus, options.backend)
    checkpoint(options, f"serve {options.serve_size}")
    results = benchmark_serving(url, corpus, options.duration, options.server_environment())
    return rows.serve_rows(results), results


def scale_serving(options: Options, n: int) -> ServeResults:
    """List and filter latencies at ``n`` posts, for the 1k-versus-100k comparison."""
    corpus = ensure_corpus(n, options.seed)
    url = ensure_imported(corpus, options.backend)
    checkpoint(options, f"scale: serve {n}")
    measured, _body, _type = measure_api(
        url, corpus, options.duration, SCALE_ENDPOINTS, options.server_environment()
    )
    return ServeResults(n=n, measurements=measured)


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _save(options: Options, table: list[Row], raw: dict[str, object]) -> str:
    folder = CACHE_DIR / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {
        "options": asdict(options),
        "machine": dict(machine.describe()),
        "rows": [asdict(row) for row in table],
        "conditions": CONDITIONS,
        "raw": raw,
    }
    path.write_text(json.dumps(document, indent=2, default=_jsonable))
    return str(path)


def _jsonable(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)  # type: ignore[call-overload]
    return str(value)


def run(options: Options) -> list[Row]:
    """Run the sections the options ask for; return the table's rows."""
    if options.only != "import":
        require_wrk()  # fail before the long import, not after it
    table: list[Row] = []
    raw: dict[str, object] = {}
    sizes = options.sizes + ((SCALE_SIZE,) if options.scale else ())
    imports: dict[int, ImportResults] = {}
    if options.only != "serve":
        import_rows, imports = import_section(options, sizes)
        table += import_rows
        raw["imports"] = {str(n): result for n, result in imports.items()}
    if options.only != "import":
        serve_rows, served = serve_section(options)
        table += serve_rows
        raw["serving"] = served
        if options.scale:
            small, large = scale_serving(options, 1000), scale_serving(options, SCALE_SIZE)
            table += rows.scale_rows(imports, small, large)
            raw["scale"] = {"1000": small, str(SCALE_SIZE): large}
    _stderr(f"raw results: {_save(options, table, raw)}")
    return table


def _terminate(signum: int, _frame: FrameType | None) -> None:
    # SIGTERM ends the run like Ctrl-C does: every `finally` stops the servers it started.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Print the machine, run, print the table; 1 when a target is missed or a run misbehaved."""
    signal.signal(signal.SIGTERM, _terminate)
    options = parse_args(argv)
    print(machine.header())
    print(f"{'backend':>13}: {options.backend}; served DB: {options.serve_size} posts")
    if options.server_env:
        print(f"{'server env':>13}: {' '.join(options.server_env)}")
    print(f"{'load average':>13}: {_load_average()} (at start; other work on the machine skews it)")
    table = run(options)
    print(f"{'load average':>13}: {_load_average()} (at end)")
    for condition in CONDITIONS:
        print(f"{'machine':>13}: {condition}")
    print()
    print(format_table(table))
    return 1 if any(row.verdict in ("FAIL", "CHECK") for row in table) else 0


if __name__ == "__main__":
    sys.exit(main())
