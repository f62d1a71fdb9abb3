"""Running child processes for measurement: wall time, peak RSS, servers in process groups."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = REPO / ".venv" / "bin"
_SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Measured:
    """One finished child: how long it took, how much memory it held at most, what it said."""

    seconds: float
    peak_rss: int  # bytes
    cpu_seconds: float  # user + system: less sensitive than wall time to other work
    returncode: int
    output: str


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc's children lists."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
    return found


def _rss(pid: int) -> int:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return 0


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree.

    wait4's ru_maxrss is exact for one process but is the *maximum* over a process and its
    children, not their sum: a worker pool of N processes would look N times smaller than it is.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(_SAMPLE_SECONDS):
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO,
    timeout: float = 3600,
) -> Measured:
    """Run ``argv`` to completion; its wall time and peak RSS (its own rusage, via wait4)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler = _TreeSampler(child.pid)
        sampler.start()
        killer = threading.Timer(timeout, _kill_group, (child.pid,))
        killer.start()
        try:
            _pid, status, usage = os.wait4(child.pid, 0)
        finally:
            seconds = time.perf_counter() - started
            killer.cancel()
            sampler.done.set()
        child.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it is reaped
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    peak = max(usage.ru_maxrss * 1024, sampler.peak)  # ru_maxrss is in KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, peak, cpu, child.returncode, output)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def stop_group(child: subprocess.Popen[bytes], grace: float = 10) -> None:
    """Stop a child started with ``start_new_session``, and everything it started."""
    if child.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(grace)
    except subprocess.TimeoutExpired:
        _kill_group(child.pid)
        child.wait(grace)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


@contextlib.contextmanager
def gunicorn(
    app_spec: str, env: Mapping[str, str], log: Path, ready_path: str = "/"
) -> Iterator[str]:
    """Serve ``app_spec`` with 2 sync workers on a free loopback port; yield the base URL."""
    port = free_port()
    argv = [str(VENV_BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}"]
    with open(log, "ab") as log_file:
        server = subprocess.Popen(
            [*argv, app_spec],
            env=dict(env),
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(server, base + ready_path, log)
        yield base
    finally:
        stop_group(server)


def _wait_ready(server: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        if _answers(url):
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s; see {log}")
