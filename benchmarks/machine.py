"""What the numbers were measured on: the header the harness prints above its table."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata

from benchmarks.procs import REPO, cpu_times


def _cpu_model() -> str:
    """The CPU's name, with family and model: "AMD EPYC" alone names several generations."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        return platform.processor() or "unknown"
    name = fields.get("model name", "unknown")
    return f"{name} (family {fields.get('cpu family', '?')}, model {fields.get('model', '?')})"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _command_output(argv: list[str]) -> str:
    if shutil.which(argv[0]) is None:
        return "not installed"
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else ""
    )


def code_version() -> str:
    """The commit measured, and whether mdcms_api/ had uncommitted changes.

    Other engineers commit while a long run goes on, and every subprocess loads the code as it
    is when it starts: the harness notes this before each section. ``BENCH_CODE_LABEL`` names
    code that is not a git checkout (an exported older commit, say).
    """
    label = os.environ.get("BENCH_CODE_LABEL")
    if label:
        return label
    argv = ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]
    head = subprocess.run(argv, capture_output=True, text=True, check=False)
    if head.returncode != 0:
        return "unknown (not a git checkout; set BENCH_CODE_LABEL)"
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "mdcms_api"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return head.stdout.strip() + (" + uncommitted changes in mdcms_api/" if dirty else "")


def describe() -> list[tuple[str, str]]:
    """(name, value) pairs: the machine, the interpreters and the code measured."""
    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("cpus (nproc)", str(os.cpu_count())),
        ("cpu", _cpu_model()),
        ("memory", f"{_memory_gib():.1f} GiB"),
        ("python", sys.version.split()[0]),
        ("sqlite", sqlite3.sqlite_version),
        ("wrk", _command_output(["wrk", "--version"]).split(" Copyright")[0]),
        ("gunicorn", _version("gunicorn")),
        ("code", code_version()),
    ]


def header() -> str:
    """The header lines printed above the table."""
    return "\n".join(f"{name:>13}: {value}" for name, value in describe())


def busy_share(seconds: float = 2.0) -> float:
    """The share of all CPUs busy over ``seconds`` (while the harness itself sleeps)."""
    busy_before, total_before = cpu_times()
    time.sleep(seconds)
    busy_after, total_after = cpu_times()
    return (busy_after - busy_before) / max(1, total_after - total_before)


def wait_quiet(limit: float, threshold: float = 0.1) -> float:
    """Wait up to ``limit`` seconds for other work to use under ``threshold`` of the CPUs.

    Other sessions' test suites on a shared 2-core machine halve what we measure; waiting for
    a quiet moment (and saying how busy it was) keeps the numbers comparable.
    """
    deadline = time.monotonic() + limit
    share = busy_share()
    while share >= threshold and time.monotonic() < deadline:
        share = busy_share(5.0)
    return share
