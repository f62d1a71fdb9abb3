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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = REPO / ".venv" / "bin"
_SAMPLE_SECONDS = 0.05  # often enough for long-lived workers; costs ~1% of a core


@dataclass(frozen=True)
class Measured:
    """One finished child: how long it took, how much memory it held at most, what it said."""

    seconds: float
    peak_rss: int  # bytes
    cpu_seconds: float  # user + system: less sensitive than wall time to other work
    returncode: int
    output: str
    others: float = 0.0  # share of the CPUs other processes used meanwhile


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


def _cpu_ticks(pid: int) -> int:
    """The process's own user + system time so far, in clock ticks (not its children's)."""
    with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return 0


def _rss(pid: int) -> int:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return 0


class _TreeSampler(threading.Thread):
    """Samples the summed RSS and the CPU time of a process tree, every 50 ms.

    wait4's ru_maxrss is exact for one process but is the *maximum* over a process and its
    children, not their sum: a worker pool of N processes would look N times smaller than it is.
    And its CPU time misses grandchildren whose parent was not waited for (a forkserver's
    workers), so CPU time is also summed per process as last seen.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.ticks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(_SAMPLE_SECONDS):
            pids = _tree(self.pid)
            self.peak = max(self.peak, sum(_rss(pid) for pid in pids))
            for pid in pids:
                self.ticks[pid] = max(self.ticks.get(pid, 0), _cpu_ticks(pid))

    def cpu_ticks(self) -> int:
        """The CPU time of every process seen in the tree, up to its last sample, in ticks."""
        return sum(self.ticks.values())

    def cpu_seconds(self) -> float:
        """The same, in seconds."""
        return self.cpu_ticks() / os.sysconf("SC_CLK_TCK")


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
            with OtherWork(sampler.cpu_ticks) as other_work:
                _pid, status, usage = os.wait4(child.pid, 0)
        finally:
            seconds = time.perf_counter() - started
            killer.cancel()
            sampler.done.set()
        child.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it is reaped
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    peak = max(usage.ru_maxrss * 1024, sampler.peak)  # ru_maxrss is in KiB on Linux
    cpu = max(usage.ru_utime + usage.ru_stime, sampler.cpu_seconds())
    return Measured(seconds, peak, cpu, child.returncode, output, other_work.share)


def cpu_times() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def _ticks_with_children(pid: int) -> int:
    """utime + stime + cutime + cstime: the process and the children it has reaped."""
    with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
        return sum(int(value) for value in fields[11:15])
    return 0


def _our_ticks() -> int:
    return sum(_ticks_with_children(pid) for pid in _tree(os.getpid()))


class OtherWork:
    """Measures how much of the CPUs processes outside the harness used during a block.

    The harness, its servers, wrk and the importer are all its descendants; whatever else was
    busy (another session's test suite on a shared machine) skews what the block measured.
    """

    def __init__(self, tree_ticks: Callable[[], int] | None = None) -> None:
        # The measured child's tree, as sampled: a forkserver's workers are never reaped into
        # our own counters, so without it their CPU would count as other work.
        self.tree_ticks = tree_ticks

    def __enter__(self) -> OtherWork:
        self._start = (*cpu_times(), _our_ticks())
        self.share = 0.0
        return self

    def __exit__(self, *_exc: object) -> None:
        busy, total, ours = (*cpu_times(), _our_ticks())
        elapsed = max(1, total - self._start[1])
        ours -= self._start[2]
        if self.tree_ticks is not None:
            ours = max(ours, self.tree_ticks())
        others = (busy - self._start[0]) - ours
        self.share = min(1.0, max(0.0, others / elapsed))


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


def _status(url: str) -> str | None:
    """The status line of a GET to ``url`` ("200"), with the body when it is an error; None when
    nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.status)
    except urllib.error.HTTPError as error:
        return f"{error.code}: {error.read()[:300]!r}"
    except OSError:
        return None


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
    status = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        status = _status(url)
        if status is not None and status[0] in "1234":
            return
        time.sleep(0.1)
    last = f"it last said {status}" if status else "nothing answered"
    raise RuntimeError(f"{url} was not ready within {timeout:.0f} s ({last}); see {log}")
