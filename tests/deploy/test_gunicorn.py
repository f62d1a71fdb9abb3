"""The documented production command: gunicorn with deploy/gunicorn.conf.py, on each backend."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.sites import write_post

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 5):
    return urllib.request.urlopen(
        urllib.request.Request(url, headers=headers or {}), timeout=timeout
    )


def wait_until_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited at start"
        try:
            with get(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer within 30 s")


@contextmanager
def gunicorn(database_url: str, cwd: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The production command with two preloaded workers and JSON logs: its URL and process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MDCMS_JSON_LOGS": "1",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "mdcms_api:create_app()"]
    server = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", server)
        yield base, server
    finally:
        if server.returncode is None:
            server.send_signal(signal.SIGTERM)
            server.communicate(timeout=30)


def stop(server: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGTERM, then gunicorn's stdout and stderr."""
    server.send_signal(signal.SIGTERM)
    return server.communicate(timeout=30)


def test_gunicorn_serves_with_preloaded_workers_and_json_logs(database_url, tmp_path):
    with gunicorn(database_url, tmp_path) as (base, server):
        # Several requests that read the database, so that both workers use connections of
        # their own.
        for number in range(6):
            with get(f"{base}/api/v1/sites", {"X-Request-Id": f"smoke-{number}"}) as response:
                assert response.headers["X-Request-Id"] == f"smoke-{number}"
                assert json.loads(response.read())["items"] == []
        with get(f"{base}/api/v1/openapi.json", {"Accept-Encoding": "gzip"}) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert json.loads(gzip.decompress(response.read()))["openapi"]
        out, err = stop(server)
    assert server.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    smoke = [line for line in lines if line["request_id"].startswith("smoke-")]
    assert [line["status"] for line in smoke] == [200] * 6
    assert "Booting worker" in err and "Traceback" not in err


def test_every_worker_sees_an_import_from_another_process_at_once(
    database_url, import_site, tmp_path
):
    site = tmp_path / "blog"
    write_post(site, "2025-01-01-one", title="One")
    import_site(site)
    url = "/api/v1/sites/blog/posts"
    with gunicorn(database_url, tmp_path) as (base, server):
        with get(base + url) as response:
            etag = response.headers["ETag"]
        # New connections each time: both workers answer, and keep the list and its 304.
        for _ in range(10):
            assert slugs(base + url) == ["one"]
            assert slugs(base + url, {"If-None-Match": etag}) == 304
        write_post(site, "2025-01-02-two", title="Two")
        import_site(site)  # this test's process: neither worker
        for _ in range(10):
            assert slugs(base + url) == ["two", "one"]
            assert slugs(base + url, {"If-None-Match": etag}) == ["two", "one"]
        out, err = stop(server)
    assert server.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    statuses = [line["status"] for line in lines if line["path"] == url]
    assert sorted(statuses) == [200] * 31 + [304] * 10  # two workers: lines in any order
    assert "Traceback" not in err


def slugs(url: str, headers: dict[str, str] | None = None) -> list[str] | int:
    """The slugs of a post list, or the status when it is not a 200."""
    try:
        with get(url, headers) as response:
            return [post["slug"] for post in json.loads(response.read())["items"]]
    except urllib.error.HTTPError as error:
        return error.code
