"""markdown-to-sqlite 1.0, the import peer, run on the same files in a venv of its own."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from benchmarks.corpus import CACHE_DIR, FRONT_MATTER_KEYS, Corpus
from benchmarks.procs import Measured, run_measured

PEER_VENV = CACHE_DIR / "peer-venv"
PEER_REQUIREMENT = "markdown-to-sqlite==1.0"
TABLE = "posts"
# Linux refuses an argv beyond ARG_MAX (2 MiB here); the peer takes every file on its command line.
_ARGV_LIMIT = 1_500_000


def ensure_peer() -> Path:
    """The peer's venv, created and installed from PyPI on first use."""
    command = PEER_VENV / "bin" / "markdown-to-sqlite"
    if not command.exists():
        print(f"installing {PEER_REQUIREMENT} into {PEER_VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        pip = [str(PEER_VENV / "bin" / "pip"), "install", "-q", PEER_REQUIREMENT]
        subprocess.run(pip, check=True, timeout=600)
    return command


def _columns() -> list[str]:
    """Every column the peer writes, as name/type pairs: its own four, one per front matter key."""
    names = ("_id", "_path", "text", "html", *FRONT_MATTER_KEYS)
    return [part for name in names for part in (name, "integer" if name == "draft" else "text")]


def fresh_peer_database(n: int) -> Path:
    """A new database with the peer's table already holding every column.

    The peer infers columns from its first batch of rows and crashes when a key (``draft``)
    first appears later; ``sqlite-utils create-table`` is the documented way around it.
    """
    path = CACHE_DIR / "db" / f"peer-n{n}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    create = [str(PEER_VENV / "bin" / "sqlite-utils"), "create-table", str(path), TABLE]
    subprocess.run([*create, *_columns(), "--pk", "_id"], check=True, timeout=60)
    return path


def peer_fits(corpus: Corpus) -> bool:
    """Whether the peer's command line can name every file of ``corpus``."""
    return sum(len(p) + 1 for p in corpus.post_paths()) < _ARGV_LIMIT


def run_peer(corpus: Corpus) -> tuple[Measured, str | None]:
    """One timed run of the peer on every post of ``corpus``; and a problem, if any."""
    command = ensure_peer()
    database = fresh_peer_database(corpus.n)
    argv = [str(command), str(database), TABLE, *corpus.post_paths()]
    measured = run_measured(argv, cwd=corpus.root, timeout=120 + corpus.n * 0.1)
    if measured.returncode != 0:
        tail = " / ".join(measured.output.strip().splitlines()[-2:])
        return measured, f"markdown-to-sqlite {corpus.n}: exit {measured.returncode}: {tail}"
    with sqlite3.connect(database) as connection:
        (rows,) = connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
    if rows != corpus.n:
        return measured, f"markdown-to-sqlite {corpus.n}: {rows} rows, expected {corpus.n}"
    return measured, None
