"""Turning measurements into the table's rows, each against the issue's target where it has one."""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.importing import ImportResults
from benchmarks.procs import Measured
from benchmarks.serving import Measurement, ServeResults
from benchmarks.table import Row, at_most, mb, median, ratio_at_least, ratio_at_most

TARGET_SIZE = 10_000  # the import and re-sync targets are stated for 10k posts
MAX_PEAK_MB = 250
MAX_UNCHANGED_SECONDS = 1.0
MAX_ONE_CHANGED_SECONDS = 1.5
MAX_VS_PEER = 0.75
# "Not growing with the number of posts": our reading is at most 25% more at 10x the posts.
MAX_RSS_GROWTH = 1.25
MAX_P99_MS = 25.0
MAX_SCALE_IMPORT = 11.0
MAX_SCALE_P50 = 1.5


def _runs(measured: Sequence[Measured]) -> str:
    return "1 run" if len(measured) == 1 else f"median of {len(measured)}"


def _seconds(measured: Sequence[Measured]) -> float:
    return median([m.seconds for m in measured])


def _cpu(measured: Sequence[Measured]) -> float:
    return median([m.cpu_seconds for m in measured])


def _others(shares: Sequence[float]) -> str:
    """How much other processes used the CPUs meanwhile (at worst), when it is worth saying."""
    worst = max(shares, default=0.0)
    return f", other work {worst:.0%} of the CPUs" if worst >= 0.05 else ""


def _peak(measured: Sequence[Measured]) -> float:
    return mb(max(m.peak_rss for m in measured))


def full_import_rows(results: ImportResults, peer: Sequence[Measured]) -> list[Row]:
    """Full import time, its peak RSS and the ratio to markdown-to-sqlite."""
    n, rows = results.n, []
    seconds = _seconds(results.full)
    value = f"{seconds:.1f} s ({n / seconds:.0f} posts/s)"
    note = f"{_runs(results.full)}, CPU {_cpu(results.full):.1f} s"
    note += _others([m.others for m in results.full])
    rows.append(Row(f"import {n}: full", value, note=note))
    if n == TARGET_SIZE:
        rows.append(
            at_most(
                f"import {n}: full, peak RSS", _peak(results.full), MAX_PEAK_MB, ".0f", unit=" MB"
            )
        )
    else:
        rows.append(Row(f"import {n}: full, peak RSS", f"{_peak(results.full):.0f} MB"))
    if peer:
        rows += _peer_rows(n, seconds, peer)
    return rows


def _peer_rows(n: int, seconds: float, peer: Sequence[Measured]) -> list[Row]:
    theirs = _seconds(peer)
    value = f"{theirs:.1f} s ({n / theirs:.0f} posts/s), peak RSS {_peak(peer):.0f} MB"
    note = f"{_runs(peer)}, CPU {_cpu(peer):.1f} s" + _others([m.others for m in peer])
    rows = [Row(f"markdown-to-sqlite {n}: full", value, note=note)]
    ratio = seconds / theirs
    label = f"import {n}: our time / markdown-to-sqlite's"
    if n == TARGET_SIZE:
        rows.append(ratio_at_most(label, ratio, MAX_VS_PEER, f"{seconds:.1f} s / {theirs:.1f} s"))
    else:
        rows.append(Row(label, f"{seconds:.1f} s / {theirs:.1f} s", ratio=f"{ratio:.2f}x"))
    return rows


def resync_rows(results: ImportResults) -> list[Row]:
    """The no-change and one-changed-file re-syncs, CLI start-up included."""
    rows = []
    for label, runs, limit in (
        ("no-change re-sync", results.unchanged, MAX_UNCHANGED_SECONDS),
        ("one changed file re-sync", results.one_changed, MAX_ONE_CHANGED_SECONDS),
    ):
        if not runs:
            continue
        metric = f"import {results.n}: {label}"
        note = f"{_runs(runs)}, CPU {_cpu(runs):.2f} s, peak RSS {_peak(runs):.0f} MB"
        note += _others([m.others for m in runs])
        if results.n == TARGET_SIZE:
            rows.append(at_most(metric, _seconds(runs), limit, ".2f", unit=" s", note=note))
        else:
            rows.append(Row(metric, f"{_seconds(runs):.2f} s", note=note))
    return rows


def growth_row(small: ImportResults, large: ImportResults) -> Row:
    """Whether the full import's peak RSS grows with the number of posts."""
    ratio = _peak(large.full) / _peak(small.full)
    value = f"{_peak(small.full):.0f} MB at {small.n} -> {_peak(large.full):.0f} MB at {large.n}"
    return ratio_at_most("import peak RSS growth", ratio, MAX_RSS_GROWTH, value)


def problem_rows(problems: Sequence[str]) -> list[Row]:
    """Runs that did not do what they should: their numbers are not to be trusted."""
    return [Row("problem", problem, verdict="CHECK") for problem in problems]


def serve_rows(results: ServeResults) -> list[Row]:
    """The floor, then req/s (against the floor), p50 and p99 of every endpoint."""
    if not results.floors:
        return []
    rates = [floor.requests_per_second for floor in results.floors]
    floor_rps = sum(rates) / len(rates)
    spread = " / ".join(f"{rate:.0f}" for rate in rates)
    p50s = " / ".join(f"{floor.p50_ms:.2f}" for floor in results.floors)
    p99s = " / ".join(f"{floor.p99_ms:.2f}" for floor in results.floors)
    rows = [
        Row(
            f"serve {results.n}: floor (bare Flask) req/s",
            f"{floor_rps:.0f}",
            note=f"before / after: {spread} req/s, p50 {p50s} ms, p99 {p99s} ms"
            + _others([floor.others for floor in results.floors]),
        )
    ]
    if max(rates) > 1.2 * min(rates):
        rows.append(Row("machine drift", "the floor moved > 20% during the run", verdict="CHECK"))
    for measurement in results.measurements:
        rows += _endpoint_rows(results.n, measurement, floor_rps)
    return rows


def _endpoint_rows(n: int, measurement: Measurement, floor_rps: float) -> list[Row]:
    endpoint, load = measurement.endpoint, measurement.load
    name = f"serve {n}: {endpoint.name}"
    if load is None:
        return [
            Row(
                f"{name} req/s",
                "n/a",
                f">= {endpoint.floor_share:g}x floor",
                "",
                "n/a",
                measurement.note,
            )
        ]
    rps = load.requests_per_second
    rate = ratio_at_least(
        f"{name} req/s", rps / floor_rps, endpoint.floor_share, f"{rps:.0f}", " floor"
    )
    if measurement.note:  # errors under load: the rate is not the endpoint's
        rate = Row(rate.metric, rate.value, rate.target, rate.ratio, "CHECK", measurement.note)
    elif load.others >= 0.05:
        rate = Row(
            rate.metric,
            rate.value,
            rate.target,
            rate.ratio,
            rate.verdict,
            _others([load.others])[2:],
        )
    return [
        rate,
        Row(f"{name} p50", f"{load.p50_ms:.2f} ms"),
        at_most(f"{name} p99", load.p99_ms, MAX_P99_MS, ".2f", unit=" ms"),
    ]


def scale_rows(
    imports: dict[int, ImportResults], small: ServeResults | None, large: ServeResults | None
) -> list[Row]:
    """100k against 10k (import time) and against 1k (list and filter p50)."""
    rows = []
    if 10_000 in imports and 100_000 in imports and imports[100_000].full:
        ten, hundred = _seconds(imports[10_000].full), _seconds(imports[100_000].full)
        value = f"{hundred:.0f} s / {ten:.0f} s"
        rows.append(
            ratio_at_most("scale: import 100k / 10k", hundred / ten, MAX_SCALE_IMPORT, value)
        )
    if small is None or large is None:
        return rows
    before = {m.endpoint.name: m.load for m in small.measurements if m.load}
    for measurement in large.measurements:
        then = before.get(measurement.endpoint.name)
        if measurement.load is None or then is None:
            continue
        ratio = measurement.load.p50_ms / then.p50_ms
        value = f"{measurement.load.p50_ms:.2f} ms / {then.p50_ms:.2f} ms"
        metric = f"scale: {measurement.endpoint.name} p50 100k / 1k"
        rows.append(ratio_at_most(metric, ratio, MAX_SCALE_P50, value))
    return rows
