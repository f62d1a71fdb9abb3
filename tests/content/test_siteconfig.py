"""Site settings from config.yml."""

from zoneinfo import ZoneInfo

import pytest

from mdcms_api.content.errors import ContentError
from mdcms_api.content.siteconfig import SiteConfig, parse_site_config

CONFIG = b"""\
sitename: Query Plan
sitedescription: Notes on databases.
language: nb
timezone: Europe/Oslo
callouts:
  beta: This feature is in beta.
  version: 3
theme:
  colour: blue
  since: 2024-01-01
"""


def test_parse_site_config():
    config = parse_site_config(CONFIG)
    assert config.name == "Query Plan"
    assert config.description == "Notes on databases."
    assert config.language == "nb"
    assert config.timezone == ZoneInfo("Europe/Oslo")
    assert config.callouts == {"beta": "This feature is in beta.", "version": "3"}
    assert config.raw["theme"] == {"colour": "blue", "since": "2024-01-01"}
    assert config.raw["sitename"] == "Query Plan"


@pytest.mark.parametrize("raw", [None, b"", b"# only a comment\n", "\ufeff".encode()])
def test_defaults(raw):
    config = parse_site_config(raw)
    assert config == SiteConfig()
    assert (config.name, config.language, config.timezone) == (None, "en", ZoneInfo("UTC"))
    assert (config.callouts, config.raw) == ({}, {})


def test_crlf_and_byte_order_mark():
    config = parse_site_config("\ufeffsitename: X\r\ntimezone: Asia/Tokyo\r\n".encode())
    assert (config.name, config.timezone) == ("X", ZoneInfo("Asia/Tokyo"))


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (b"sitename: X\ntimezone: Mars/Olympus\n", "unknown time zone 'Mars/Olympus'", 2),
        (b"timezone: ../etc/passwd\n", "unknown time zone", 1),
        (b"timezone: 5\n", "unknown time zone '5'", 1),
        (b"- a\n- b\n", "not a list", 1),
        (b"just words\n", "not a single value", 1),
        (b"sitename: X\nsitedescription: a: b\n", "invalid YAML", 2),
        (b"base: &b 1\n", "anchors", 1),
        (b"callouts: [a, b]\n", "callouts: must be a mapping", 1),
        (b"callouts:\n  beta: [x]\n", "callouts: each message must be text", 1),
        (b"sitename: [X]\n", "sitename: must be text", 1),
        (b"language: no\n", "put the text in quotes", 1),
        (b"language: English (UK)\n", "not a language code", 1),
        (b"sitename: \xff\n", "not valid UTF-8", 1),
        (b"odd: .nan\n", "odd: .nan and .inf", 1),
    ],
)
def test_errors_name_config_yml_and_the_line(raw, message, line):
    with pytest.raises(ContentError, match=message) as caught:
        parse_site_config(raw)
    assert caught.value.path == "config.yml"
    assert caught.value.line == line
