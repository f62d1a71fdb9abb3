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
import urllib.request
from pathlib import Path

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


def test_gunicorn_serves_with_preloaded_workers_and_json_logs(database_url, tmp_path):
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
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", server)
        # Several requests that read the database, so that both workers use connections of
        # their own.
        for number in range(6):
            with get(f"{base}/api/v1/sites", {"X-Request-Id": f"smoke-{number}"}) as response:
                assert response.headers["X-Request-Id"] == f"smoke-{number}"
                assert json.loads(response.read())["items"] == []
        with get(f"{base}/api/v1/openapi.json", {"Accept-Encoding": "gzip"}) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert json.loads(gzip.decompress(response.read()))["openapi"]
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    smoke = [line for line in lines if line["request_id"].startswith("smoke-")]
    assert [line["status"] for line in smoke] == [200] * 6
    assert "Booting worker" in err and "Traceback" not in err
