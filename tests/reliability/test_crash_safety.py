"""Crash safety: `import-site` killed with SIGKILL leaves exactly the old or the new site."""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text

from mdcms_api.importer.report import ImportReport
from mdcms_api.storage.db import make_engine
from mdcms_api.storage.models import Page, Post, Site
from tests.sites import write_file

ImportSite = Callable[..., ImportReport]

SEED = 20250428
SITE = "crashsite"
LONG = bool(os.environ.get("MDCMS_LONG_TESTS"))
LONG_REASON = "long variant: set MDCMS_LONG_TESTS=1"


@dataclass(frozen=True)
class Scale:
    """How big a site and how many kills: the default run and the long variant."""

    posts: int
    edits: int
    deletes: int
    adds: int
    kills: int


DEFAULT = Scale(posts=200, edits=100, deletes=25, adds=50, kills=3)
LONG_SCALE = Scale(posts=1000, edits=500, deletes=125, adds=250, kills=12)

# -- a deterministic site --------------------------------------------------------------------------

WORDS = re.findall(
    r"\w+",
    "archive build cache database deploy editor feed frontend header import index keyword link "
    "markdown migration page post query render schema search server site slug sqlite static "
    "syntax table template token version writer",
)
AUTHORS = ["Raj Patel", "Mei Lin", "José García", "Łukasz Nowak", "Ada Obi"]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def post_text(rng: random.Random, number: int, revision: int) -> str:
    """About 4 KB of markdown: headings, paragraphs, a list, a code block, a link."""
    keywords = ", ".join(rng.sample(WORDS, 3))
    parts = [
        f"---\ntitle: 'Post {number}, revision {revision}'\nauthor: {rng.choice(AUTHORS)}\n"
        f"keywords: {keywords}\n---\n"
    ]
    for section in range(3):
        parts.append(f"## Part {section + 1}\n\n")
        parts.extend(" ".join(sentence(rng) for _ in range(5)) + "\n\n" for _ in range(3))
    parts.append("".join(f"- {sentence(rng)}\n" for _ in range(4)) + "\n")
    parts.append(f"```python\nprint({number}, {revision})\n```\n\n")
    parts.append(f"See [the first post](posts/{post_name(0)}.md).\n")
    return "".join(parts)


def post_name(number: int) -> str:
    day = 1 + number % 28
    return f"2024-{1 + number // 28 % 12:02d}-{day:02d}-post-{number:05d}"


def write_post_file(root: Path, rng: random.Random, number: int, revision: int) -> None:
    write_file(root, f"posts/{post_name(number)}.md", post_text(rng, number, revision))


def generate_site(root: Path, scale: Scale, rng: random.Random) -> None:
    write_file(root, "config.yml", "sitename: Crash test\ntimezone: Europe/Oslo\n")
    for number in range(scale.posts):
        write_post_file(root, rng, number, revision=0)


def change_site(root: Path, scale: Scale, rng: random.Random) -> None:
    """Edit, delete and add posts; mtimes move on so that the sync cannot skip an edit."""
    numbers = list(range(scale.posts))
    rng.shuffle(numbers)
    edited = numbers[: scale.edits]
    deleted = numbers[scale.edits : scale.edits + scale.deletes]
    for number in edited:
        write_post_file(root, rng, number, revision=1)
        path = root / "posts" / f"{post_name(number)}.md"
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    for number in deleted:
        (root / "posts" / f"{post_name(number)}.md").unlink()
    for number in range(scale.posts, scale.posts + scale.adds):
        write_post_file(root, rng, number, revision=0)


# -- the two states the database may be in -----------------------------------------------------


@dataclass(frozen=True)
class State:
    """What identifies a site's content: each document's slug and hash, and the version."""

    documents: frozenset[tuple[str, str, str]]
    content_version: int | None


def state_of_files(root: Path, content_version: int) -> State:
    """The state an import of ``root`` must produce: every file's slug and sha256."""
    documents = set()
    for path in sorted((root / "posts").glob("*.md")):
        slug = path.stem.split("-", 3)[3]
        documents.add(("post", slug, hashlib.sha256(path.read_bytes()).hexdigest()))
    return State(frozenset(documents), content_version)


def state_of_database(url: str) -> State:
    """Read the site's state through a connection of its own, as a fresh process would."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            site = connection.execute(
                select(Site.id, Site.content_version).where(Site.slug == SITE)
            ).first()
            if site is None:
                return State(frozenset(), None)
            documents = {
                (kind, slug, content_hash)
                for kind, model in (("post", Post), ("page", Page))
                for slug, content_hash in connection.execute(
                    select(model.slug, model.content_hash).where(model.site_id == site.id)
                )
            }
            return State(frozenset(documents), site.content_version)
    finally:
        engine.dispose()


# -- running and killing the importer --------------------------------------------------------------


def command(root: Path) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "mdcms_api", "import-site", str(root)]


def start(url: str, root: Path, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command(root),
        env={**os.environ, "DATABASE_URL": url},
        cwd=cwd,  # away from any .env in the repository, which the flask command would read
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def import_lock_held(url: str) -> bool:
    """Whether some process is inside an import's write transaction right now.

    PostgreSQL: the import's advisory lock is in pg_locks. SQLite: the write lock is taken at
    BEGIN IMMEDIATE, so our own BEGIN IMMEDIATE fails at once (and is undone at once if not).
    """
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        connection.isolation_level = None
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as error:
            assert "locked" in str(error), error
            return True
        finally:
            connection.close()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bool(connection.scalar(text(ADVISORY_LOCKS)))
    finally:
        engine.dispose()


ADVISORY_LOCKS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database())"
)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll ``condition`` until it holds; return how long that took."""
    started = time.monotonic()
    while not condition():
        waited = time.monotonic() - started
        assert waited < timeout, f"{what}: still not after {waited:.1f} s"
        time.sleep(0.005)
    return time.monotonic() - started


@dataclass
class KillLog:
    """What happened at each kill, printed by the test for the record."""

    transaction: float = 0.0  # how long the sync takes, measured in-process
    rows: list[tuple[float, float, str, float]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"sync {self.transaction:.2f} s (in-process dry run)"]
        lines += [
            f"  started after {startup:.2f} s, killed {at:.2f} s into the transaction: "
            f"database {found}, lock freed after {freed:.2f} s"
            for startup, at, found, freed in self.rows
        ]
        return "\n".join(lines)


def kill_points(rng: random.Random, duration: float, kills: int) -> list[float]:
    """One random moment in each of ``kills`` equal slices of the transaction."""
    width = duration / kills
    return [width * (slot + rng.random()) for slot in range(kills)]


def kill_once(url: str, root: Path, cwd: Path, delay: float) -> tuple[float, bool]:
    """Start an import, SIGKILL it ``delay`` s after it takes the write lock.

    Returns the start-up time and whether the process was still running when killed.
    """
    process = start(url, root, cwd)
    try:
        startup = wait_until(
            lambda: process.poll() is not None or import_lock_held(url), 60, "the import's lock"
        )
        time.sleep(delay)
        alive = process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return startup, alive


def crash_and_check(app: Flask, import_site: ImportSite, tmp_path: Path, scale: Scale) -> KillLog:
    rng = random.Random(SEED)
    url = app.config["DATABASE_URL"]
    root = tmp_path / SITE
    generate_site(root, scale, rng)
    first = import_site(root, SITE)
    assert first.committed and len(first.added) == scale.posts and not first.failed
    old = state_of_database(url)
    assert old == state_of_files(root, content_version=1)

    change_site(root, scale, rng)
    new = state_of_files(root, content_version=2)
    log = KillLog()
    # A dry run does all of the real run's work and rolls back: its duration is the window.
    started = time.monotonic()
    assert import_site(root, SITE, dry_run=True).dry_run
    log.transaction = time.monotonic() - started
    assert state_of_database(url) == old

    for delay in kill_points(rng, log.transaction, scale.kills):
        startup, alive = kill_once(url, root, tmp_path, delay)
        # The server (or SQLite's next opener) rolls the dead transaction back; the lock goes.
        freed = wait_until(lambda: not import_lock_held(url), 15, "the lock is released")
        found = state_of_database(url)
        assert found in (old, new), f"killed {delay:.2f} s in: neither the old nor the new site"
        log.rows.append((startup, delay, "old" if found == old else "new", freed))
        assert alive or found == new
        if found == new:
            break  # committed before the kill: later kills would hit an up-to-date site

    # In-process: it takes the same lock, so a lock left behind would hang it here.
    final = import_site(root, SITE)
    assert final.committed and not final.failed
    assert state_of_database(url) == new
    return log


def test_killed_imports_leave_the_old_or_the_new_site(
    app: Flask,
    import_site: ImportSite,
    tmp_path: Path,
    backend: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = crash_and_check(app, import_site, tmp_path, DEFAULT)
    # Most kills must land inside the transaction, or the test proves little.
    assert sum(1 for row in log.rows if row[2] == "old") >= DEFAULT.kills - 1, str(log)
    with capsys.disabled():
        print(f"\n[{backend}] {log}")


@pytest.mark.skipif(not LONG, reason=LONG_REASON)
def test_killed_imports_of_a_big_site_leave_the_old_or_the_new_site(
    app: Flask,
    import_site: ImportSite,
    tmp_path: Path,
    backend: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = crash_and_check(app, import_site, tmp_path, LONG_SCALE)
    with capsys.disabled():
        print(f"\n[{backend}, long] {log}")


# -- a killed import leaves no process behind ------------------------------------------------------


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text() if entry.isdigit() else ""
        except OSError:  # it has just exited
            continue
        if stat:
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, waiting = set(), [pid]
    while waiting:
        below = children.get(waiting.pop(), [])
        found.update(below)
        waiting.extend(below)
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_killed_import_leaves_no_worker_process_behind(tmp_path: Path) -> None:
    root = tmp_path / SITE
    generate_site(root, Scale(posts=150, edits=0, deletes=0, adds=0, kills=1), random.Random(SEED))
    process = subprocess.Popen(
        command(root),
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'mdcms.sqlite3'}",
            "MDCMS_IMPORT_WORKERS": "2",
        },
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # the pool's forkserver and two workers, and multiprocessing's resource tracker
        wait_until(lambda: len(descendants(process.pid)) >= 4, 60, "the import's worker pool")
        below = descendants(process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    wait_until(
        lambda: not any(running(pid) for pid in below), 15, "the killed import's processes exit"
    )
