"""Property tests: the parser never fails with anything but ContentError, and round-trips."""

import json
import re
import string
from datetime import UTC, timedelta, timezone

import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from mdcms_api.content.dates import parse_datetime
from mdcms_api.content.document import Document, parse_document
from mdcms_api.content.errors import ContentError
from mdcms_api.content.frontmatter import split_front_matter
from mdcms_api.content.siteconfig import SiteConfig, parse_site_config
from mdcms_api.content.slugs import slugify

SITE = SiteConfig()
PATHS = st.sampled_from(["posts/2025-04-28-x.md", "posts/x.md", "pages/about.md"])

# Text that looks like front matter often enough to reach the YAML and field checks.
FRONT_MATTER_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "title: Hi",
                "title: A: B",
                "created: 2025-04-28",
                "created: 2025-04-28 11:00",
                "created: 2025-13-01",
                "author: [a, b]",
                "keywords: a, b, A",
                "draft: no",
                'draft: "no"',
                "sort: 0",
                "sort: x",
                "language: no",
                "x: &a 1",
                "y: *a",
                "- item",
                "  nested: 1",
                "z: !!binary aGk=",
                "w: .inf",
                "? [a]",
                "---",
            ]
        ),
        st.text(max_size=30).map(lambda text: text.replace("\n", " ")),
    ),
    max_size=8,
)


def assemble(lines: list[str], body: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


def parse_or_content_error(path: str, raw: bytes) -> None:
    try:
        document = parse_document(path, raw, SITE)
    except ContentError as exc:
        assert exc.path == path
        assert exc.message
    else:
        assert isinstance(document, Document)
        json.dumps(document.extra, allow_nan=False)


@given(PATHS, st.binary(max_size=300))
def test_any_bytes_parse_or_raise_content_error(path, raw):
    parse_or_content_error(path, raw)


@given(PATHS, st.text(max_size=300))
def test_any_text_parses_or_raises_content_error(path, text):
    parse_or_content_error(path, text.encode("utf-8", "surrogatepass"))


@given(PATHS, FRONT_MATTER_LINES, st.text(max_size=40))
def test_front_matter_like_text_parses_or_raises_content_error(path, lines, body):
    parse_or_content_error(path, assemble(lines, body).encode("utf-8", "surrogatepass"))


@given(st.binary(max_size=200))
def test_any_config_parses_or_raises_content_error(raw):
    try:
        parse_site_config(raw)
    except ContentError as exc:
        assert exc.path == "config.yml"


@given(st.text())
def test_slugify_is_idempotent_and_ascii(text):
    slug = slugify(text)
    assert slugify(slug) == slug
    assert re.fullmatch(r"[a-z0-9-]*", slug)


FIXED_OFFSETS = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=FIXED_OFFSETS), st.sampled_from(["T", " "]))
def test_parse_datetime_round_trips_a_formatted_aware_datetime(moment, separator):
    parsed = parse_datetime(moment.isoformat(sep=separator), UTC)
    assert parsed == moment
    assert parsed.utcoffset() == moment.utcoffset()


@given(st.datetimes())
def test_parse_datetime_reads_a_naive_datetime_in_the_site_time_zone(moment):
    tz = timezone(timedelta(hours=3))
    assert parse_datetime(moment.isoformat(), tz) == moment.replace(tzinfo=tz)


KEYS = st.text(alphabet=string.ascii_letters + "-_", min_size=1, max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=40),
    st.floats(allow_nan=False, allow_infinity=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(KEYS, children, max_size=3)
    ),
    max_leaves=8,
)


@given(st.dictionaries(KEYS, VALUES, max_size=6), st.text(max_size=200))
def test_split_front_matter_round_trips_a_dumped_mapping_and_body(mapping, body):
    # allow_unicode=False: PyYAML writes a raw U+0085 it then reads back as a line break.
    dumped = yaml.safe_dump(mapping, sort_keys=False)
    # A mapping dumped with a literal '---' line inside a string would close the front matter.
    assume(not any(re.fullmatch(r"---[ \t]*\r?", line) for line in dumped.splitlines()))
    text = "---\n" + ("" if not mapping else dumped) + "---\n" + body
    metadata, parsed_body, body_line = split_front_matter(text)
    assert metadata == mapping
    assert parsed_body == body
    assert body_line == text[: len(text) - len(body)].count("\n") + 1
