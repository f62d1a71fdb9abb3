"""X-Request-Id on every response; one JSON line per request when MDCMS_JSON_LOGS is on."""

from __future__ import annotations

import json
import logging

import pytest

from mdcms_api import create_app
from mdcms_api.serving.request_log import LOGGER_NAME, redact_query


class Lines(logging.Handler):
    """Collects the log's messages (the logger does not propagate to pytest's caplog)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))


def make_app(tmp_path, json_logs: bool):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "MDCMS_JSON_LOGS": json_logs,
        }
    )
    app.add_url_rule("/big", "big", lambda: {"words": ["word"] * 500})
    return app


@pytest.fixture
def log_lines():
    handler = Lines()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_each_request_is_one_json_line_without_secrets(tmp_path, log_lines):
    client = make_app(tmp_path, json_logs=True).test_client()
    response = client.get(
        "/big?preview=true&preview_token=s3cret&page=2&ünï=1",
        headers={
            "Authorization": "Bearer s3cret",
            "User-Agent": "pytest-agent",
            "Accept-Encoding": "gzip",
            "X-Request-Id": "abc-123",
        },
    )
    assert response.headers["X-Request-Id"] == "abc-123"
    assert log_lines == []  # a request is logged once its body has been sent
    body = response.get_data()
    [line] = log_lines
    assert line["request_id"] == "abc-123"
    assert line["method"] == "GET"
    assert line["path"] == "/big"
    assert line["query"] == "preview=true&preview_token=[redacted]&page=2&ünï=1"
    assert line["status"] == 200
    assert line["bytes"] == len(body)  # what left: the compressed size
    assert line["bytes"] < 1000
    assert line["duration_ms"] >= 0
    assert line["user_agent"] == "pytest-agent"
    assert line["remote_addr"] == "127.0.0.1"
    assert "s3cret" not in json.dumps(line)


def test_a_404_is_logged_with_its_status(tmp_path, log_lines):
    make_app(tmp_path, json_logs=True).test_client().get("/nowhere").close()
    assert [line["status"] for line in log_lines] == [404]


def test_no_lines_unless_asked_but_request_ids_all_the_same(tmp_path, log_lines):
    client = make_app(tmp_path, json_logs=False).test_client()
    first = client.get("/big").headers["X-Request-Id"]
    second = client.get("/big", headers={"X-Request-Id": "bad id with spaces"})
    assert len(first) == 32 and int(first, 16) >= 0
    assert second.headers["X-Request-Id"] not in {first, "bad id with spaces"}
    assert log_lines == []


def test_redact_query():
    assert redact_query("") == ""
    assert (
        redact_query("token=a&x=1&access_token=b") == "token=[redacted]&x=1&access_token=[redacted]"
    )
    assert redact_query("tokens_left=3") == "tokens_left=[redacted]"
