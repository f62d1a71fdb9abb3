"""Running wrk against a URL and reading its --latency report."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace

from benchmarks.procs import OtherWork

THREADS = 2
CONNECTIONS = 16
INSTALL_HINT = "wrk is not installed: `apt-get install -y wrk` (Debian's package)"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}  # to milliseconds
_PERCENTILE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class Load:
    """What wrk measured for one URL."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    output: str
    others: float = 0.0  # share of the CPUs other processes used meanwhile

    def problems(self) -> str:
        """Why the numbers may not mean what they seem; empty when nothing went wrong."""
        found = []
        if self.non_2xx_3xx:
            found.append(f"{self.non_2xx_3xx} non-2xx/3xx responses")
        if self.socket_errors:
            found.append(f"{self.socket_errors} socket errors")
        return ", ".join(found)


def require_wrk() -> str:
    """The path of wrk; SystemExit with the install command when it is missing."""
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(INSTALL_HINT)
    return path


def _ms(number: str, unit: str) -> float:
    return float(number) * _UNITS[unit]


def parse(output: str) -> Load:
    """Read requests/s, p50, p99 and the error counts from wrk's --latency output."""
    percentiles = {int(p): _ms(n, u) for p, n, u in _PERCENTILE.findall(output)}
    rps, total = _RPS.search(output), _TOTAL.search(output)
    if rps is None or total is None or 99 not in percentiles:
        raise ValueError(f"cannot read wrk's report:\n{output}")
    non_2xx = _NON_2XX.search(output)
    socket = _SOCKET.search(output)
    return Load(
        requests_per_second=float(rps[1]),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        requests=int(total[1]),
        non_2xx_3xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(map(int, socket.groups())) if socket else 0,
        output=output,
    )


def load(url: str, seconds: int, headers: Sequence[str] = ()) -> Load:
    """Load ``url`` from 16 connections on 2 threads for ``seconds``."""
    argv = [require_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for header in headers:
        argv += ["-H", header]
    with OtherWork() as other_work:
        done = subprocess.run(
            [*argv, url], capture_output=True, text=True, timeout=seconds + 30, check=True
        )
    return replace(parse(done.stdout), others=other_work.share)
