"""Hostile content: each corpus file imports sanitized or fails alone with one clear line."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from mdcms_api.content.document import parse_document
from mdcms_api.content.errors import ContentError
from mdcms_api.content.render import RenderSettings, SiteIndex, render_document
from mdcms_api.content.siteconfig import SiteConfig
from mdcms_api.importer.report import ImportReport
from mdcms_api.storage.models import Author, Keyword, Page, Post, Site
from tests.corpus_hostile import (
    FIFO,
    FITTING_TITLE_CHARS,
    GENERATED,
    HOSTILE_SITE,
    KEYWORD_COUNT,
    SECRET,
    SYMLINKS_OUTSIDE,
    make_outside,
    ten_megabytes,
    write_hostile_files,
)
from tests.sites import write_file, write_page, write_post

ImportSite = Callable[..., ImportReport]
Row = dict[str, Any]

# -- the expected outcome of each file -----------------------------------------------------------

ANY_LINE = -1  # the error names a line, whichever it is (YAML syntax errors: PyYAML decides)


@dataclass(frozen=True)
class Outcome:
    """What the importer must do with one hostile file."""

    kind: str  # "error": one error line names it; "imports": stored; "ignored": neither
    says: str = ""  # a fragment of the error message
    line: int | None = None  # the error's line (ANY_LINE: some line)
    check: Callable[[Row], None] | None = None  # for "imports": what the stored row must hold


def error(says: str, line: int | None = None) -> Outcome:
    return Outcome("error", says=says, line=line)


def imports(check: Callable[[Row], None] | None = None) -> Outcome:
    return Outcome("imports", check=check)


IGNORED = Outcome("ignored")

XSS_TITLE = "<script>alert('title')</script><img src=x onerror=alert(1)>"
XSS_AUTHORS = ["<script>alert('author')</script>", "Eve <b onmouseover=alert(1)>"]


def _empty(row: Row) -> None:
    assert (row["title"], row["html"]) == ("Empty", "")


def _front_matter_only(row: Row) -> None:
    assert (row["title"], row["html"]) == ("Only front matter", "")


def _xss_front_matter(row: Row) -> None:
    # Front-matter values are plain text served as JSON strings: kept exactly as written (a
    # frontend escapes them like any text); they never enter the html, the one markup field.
    assert row["title"] == XSS_TITLE
    assert row["authors"] == XSS_AUTHORS
    assert row["keywords"] == [
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "<iframe src=//evil>",
    ]
    assert row["extra"]["<script>alert('key')</script>"] == "<img src=x onerror=alert(1)>"
    assert row["extra"]["image"] == "javascript:alert('image')"
    assert row["html"] == "<p>A plain body: every attack is in the front matter.</p>"


def _xss_page(row: Row) -> None:
    assert row["section_id"] == "<img src=x onerror=alert('section')>"
    assert row["title"] == "<iframe src=javascript:alert('page')></iframe>"
    assert "<iframe" not in row["html"] and "<style" not in row["html"]


def _xss_body(row: Row) -> None:
    assert "handlers" in row["html"] and "javascript link" in row["html"]


def _xss_components(row: Row) -> None:
    # Live components keep their options as data; static ones render escaped text.
    assert [c["name"] for c in row["components"]] == ["toc-section", "posts-created-chronological"]
    assert "&lt;script&gt;alert('callout title')" in row["html"]


def _bom_crlf(row: Row) -> None:
    assert row["title"] == "Windows file"
    assert row["keywords"] == ["one", "two"]
    assert row["html"] == "<p>First line.</p>\n<p>Second.</p>"


def _fitting_title(row: Row) -> None:
    assert row["title"] == "T" * FITTING_TITLE_CHARS


FILE_LIMIT = "over the limit of 2,097,152 (MDCMS_MAX_FILE_BYTES)"
FRONT_MATTER_LIMIT = "front matter is larger than 64 KiB"
NOT_A_MAPPING = "must be a mapping of 'key: value' lines"
TWIN = "the post slug 'twin' is also used by"
OUTSIDE = "a link to a file outside the site folder: not followed"

# Every file of the corpus, static (tests/hostile/site) and generated (tests/corpus_hostile.py).
CORPUS: dict[str, Outcome] = {
    "posts/2025-01-01-invalid-yaml.md": error("invalid YAML", ANY_LINE),
    "posts/2025-01-02-alias-bomb.md": error("YAML anchors (&a) are not allowed", 3),
    "posts/2025-01-03-front-matter-list.md": error(f"{NOT_A_MAPPING}, not a list", 2),
    "posts/2025-01-04-front-matter-scalar.md": error(f"{NOT_A_MAPPING}, not a single value", 2),
    "posts/2025-01-05-empty.md": imports(_empty),
    "posts/2025-01-06-front-matter-only.md": imports(_front_matter_only),
    "posts/2025-01-07-unclosed-front-matter.md": error("never closed", 1),
    "posts/2025-01-08-tab-indented-yaml.md": error("invalid YAML", ANY_LINE),
    "posts/2025-01-09-draft-maybe.md": error("draft: 'maybe' is not a yes/no value", 3),
    "posts/2025-01-10-impossible-date.md": error("created: '2025-13-45' is not a date", 3),
    "posts/2025-01-11-non-string-keys.md": error("key 123 is not text", 3),
    "posts/2025-01-12-python-tag.md": error("could not determine a constructor", 2),
    "posts/2025-01-13-xss-front-matter.md": imports(_xss_front_matter),
    "posts/2025-01-14-xss-body.md": imports(_xss_body),
    "posts/2025-01-15-twin.md": error(f"{TWIN} posts/more/2025-01-16-twin.md"),
    "posts/more/2025-01-16-twin.md": error(f"{TWIN} posts/2025-01-15-twin.md"),
    "posts/2025-01-17-title-list.md": error("title: must be text", 2),
    "posts/2025-01-18-sort-out-of-range.md": error("sort: 99999999999999 is out of range", 3),
    "posts/2025-01-19-nan.md": error("rating: .nan and .inf have no JSON form", 3),
    "posts/2025-01-20-binary-tag.md": error("avatar: binary data (!!binary)", 3),
    "posts/2025-01-21-deep-html.md": error("HTML elements nested deeper than 512 levels"),
    "posts/2025-01-22-xss-components.md": imports(_xss_components),
    "posts/2025-01-23-keywords-no-letters.md": error("keywords: '!!!' has no letters", 3),
    "posts/2025-01-24-language-not-a-tag.md": error("language: '<script>' is not a language", 3),
    "posts/2025-01-25-february-30.md": error("created: '2025-02-30' is not a date", 3),
    "posts/2025-01-26-author-mapping.md": error("author: each entry must be text", 3),
    "posts/2025-01-28-empty-front-matter.md": imports(),
    "posts/2025-01-29-unknown-tag.md": error("could not determine a constructor", 3),
    "pages/xss-front-matter.md": imports(_xss_page),
    "pages/deep-yaml.md": error("nested more than 32 levels deep", 3),
    # generated at test time
    "posts/2025-02-01-ten-megabytes.md": error(FILE_LIMIT),
    "posts/2025-02-02-ten-thousand-keywords.md": error(
        f"keywords: {KEYWORD_COUNT} entries; at most 100 are allowed", 3
    ),
    "posts/2025-02-03-invalid-utf8.md": error("not valid UTF-8", 4),
    "posts/2025-02-04-binary.md": error("not a text file (it contains NUL bytes)"),
    "posts/2025-02-05-nul-bytes.md": error("not a text file (it contains NUL bytes)"),
    "posts/2025-02-06-bom-crlf.md": imports(_bom_crlf),
    "posts/2025-02-07-nested-quotes.md": error("nesting deeper than 64 levels", 4),
    "posts/2025-02-08-nested-lists.md": error("nesting deeper than 64 levels", 4),
    "posts/2025-02-09-hundred-thousand-char-title.md": error(FRONT_MATTER_LIMIT, 1),
    "posts/2025-02-10-long-title-that-fits.md": imports(_fitting_title),
    "posts/2025-02-14-nested-indented-lists.md": error("nesting deeper than 64 levels", ANY_LINE),
    "pages/very-deep-yaml.md": error("nested more than 32 levels deep", 3),
    "posts/2025-02-11-symlink-outside.md": error(OUTSIDE),
    "posts/2025-02-12-symlink-absolute.md": error(OUTSIDE),
    "posts/linked-folder": IGNORED,  # a link to a folder: never walked into
    FIFO: IGNORED,  # not a regular file: never opened (opening it would block)
}

VALID_BEFORE = ["posts/2024-01-01-welcome.md", "posts/2024-02-01-second.md", "pages/about.md"]
VALID_ALONGSIDE = "posts/2025-06-01-arrives-with-the-hostile-files.md"

# -- html that a browser would run ----------------------------------------------------------------

DANGEROUS_TAGS = frozenset(
    re.findall(
        r"\w+",
        "script style iframe frame frameset object embed applet svg math form button base meta "
        "link textarea select template noscript",
    )
)
DANGEROUS_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action", "xlink:href"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


class _Elements(HTMLParser):
    """Collects every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(html: str, where: str) -> None:
    """No element or attribute of ``html`` can run script or restyle the page.

    Checked on parsed attributes, not on the text: escaped text such as "&lt;script&gt;" or a
    visible "javascript:" in a paragraph is inert.
    """
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.found:
        assert tag not in DANGEROUS_TAGS, f"{where}: <{tag}> survived"
        for name, value in attributes:
            assert not name.startswith("on"), f"{where}: <{tag} {name}> survived"
            assert name not in DANGEROUS_ATTRIBUTES, f"{where}: <{tag} {name}> survived"
            scheme = _SCHEME.match(value or "") if name in {"href", "src"} else None
            assert scheme is None or scheme[1].lower() in SAFE_SCHEMES, f"{where}: {value!r}"


# -- building and reading the site ---------------------------------------------------------------


def write_valid_site(root: Path) -> None:
    write_file(root, "config.yml", "sitename: Hostile\n")
    write_post(root, "2024-01-01-welcome", title="Welcome", author="Raj Patel", keywords="a, b")
    write_post(root, "2024-02-01-second", title="Second", keywords=["b", "c"])
    write_page(root, "about", title="About", section_id="info", sort=0)


def stored(app: Flask) -> dict[str, Row]:
    """Every stored document by source path: all its columns, with author and keyword names."""
    with app.extensions["mdcms.db"].sessions() as session:
        documents: dict[str, Row] = {}
        for model in (Post, Page):
            for document in session.scalars(select(model)):
                row = {c.key: getattr(document, c.key) for c in model.__table__.columns}
                if model is Post:
                    row["authors"] = [author.name for author in document.authors]
                    row["keywords"] = [keyword.name for keyword in document.keywords]
                documents[document.source_path] = row
        return documents


def all_text(app: Flask) -> str:
    """Every value the database holds, as one string, for needle searches."""
    with app.extensions["mdcms.db"].sessions() as session:
        values = [
            repr(getattr(row, column.key))
            for model in (Site, Post, Page, Author, Keyword)
            for row in session.scalars(select(model))
            for column in model.__table__.columns
        ]
    return "\n".join(values)


def import_without_escape(import_site: ImportSite, root: Path) -> ImportReport:
    """Import ``root``; an exception that escapes fails the test with one short line.

    Short because pytest would otherwise format SQLAlchemy's huge statements and parameters.
    """
    try:
        return import_site(root)
    except Exception as escaped:
        message = str(escaped).split("\n", 1)[0][:300]
        pytest.fail(f"escaped the import: {type(escaped).__name__}: {message}", pytrace=False)


def check_outcome(
    report: ImportReport, documents: dict[str, Row], path: str, want: Outcome
) -> None:
    lines = [problem for problem in report.problems if problem.path == path]
    if want.kind == "error":
        assert len(lines) == 1, f"{path}: want one report line, got {[str(p) for p in lines]}"
        (problem,) = lines
        assert problem.severity == "error", str(problem)
        assert want.says in problem.message, str(problem)
        if want.line == ANY_LINE:
            assert problem.line is not None, f"{problem}: no line number"
        elif want.line is not None:
            assert problem.line == want.line, str(problem)
        assert path not in documents
    elif want.kind == "imports":
        assert path in report.added, f"{path} was not imported: {[str(p) for p in lines]}"
        assert [p for p in lines if p.severity == "error"] == []
        if want.check is not None:
            want.check(documents[path])
    else:
        assert lines == [] and path not in documents and path not in report.added


# -- the tests -----------------------------------------------------------------------------------


def test_corpus_table_lists_every_file(tmp_path: Path) -> None:
    """The table above is complete: no corpus file goes untested, no entry lacks its file."""
    root = tmp_path / "site"
    written = write_hostile_files(root, make_outside(tmp_path / "outside"))
    assert sorted(CORPUS) == written
    assert len(written) >= 30
    assert set(GENERATED) | set(SYMLINKS_OUTSIDE) | {FIFO} <= set(CORPUS)
    assert HOSTILE_SITE.is_dir()


def test_hostile_files_never_harm_an_imported_site(
    app: Flask, import_site: ImportSite, tmp_path: Path
) -> None:
    """Import a valid site, then add the whole corpus and a valid post, and import again."""
    root = tmp_path / "hostile"
    write_valid_site(root)
    first = import_site(root)
    assert first.committed and sorted(first.added) == sorted(VALID_BEFORE)
    before = stored(app)

    write_hostile_files(root, make_outside(tmp_path / "outside"))
    write_post(root, "2025-06-01-arrives-with-the-hostile-files", title="Arrives")
    started = time.monotonic()
    report = import_without_escape(import_site, root)
    elapsed = time.monotonic() - started

    assert report.committed, report.summary()
    documents = stored(app)
    for path, want in CORPUS.items():
        check_outcome(report, documents, path, want)
    # Nothing imported before is lost or changed, and a valid newcomer gets in.
    assert {path: documents[path] for path in before} == before
    assert VALID_ALONGSIDE in report.added
    assert {p.path for p in report.problems} <= set(CORPUS)
    for path, row in documents.items():
        assert_inert(row["html"], path)
    assert SECRET not in all_text(app)
    assert elapsed < 30, f"the hostile import took {elapsed:.1f} s"


def test_a_broken_edit_keeps_the_previous_version(
    app: Flask, import_site: ImportSite, tmp_path: Path
) -> None:
    """Files that were good and turn hostile keep serving their last good version."""
    root = tmp_path / "site"
    write_valid_site(root)
    import_site(root)
    before = stored(app)
    hostile = HOSTILE_SITE / "posts"
    write_file(root, VALID_BEFORE[0], (hostile / "2025-01-02-alias-bomb.md").read_bytes())
    write_file(root, VALID_BEFORE[1], ten_megabytes())
    write_file(root, VALID_BEFORE[2], (hostile / "2025-01-01-invalid-yaml.md").read_bytes())

    report = import_site(root)

    assert report.committed
    assert sorted(p.path for p in report.failed) == sorted(VALID_BEFORE)
    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert stored(app) == before


def test_ten_megabytes_end_quickly_when_the_file_limit_is_raised() -> None:
    """Past MDCMS_MAX_FILE_BYTES the parser and renderer still end within seconds."""
    started = time.monotonic()
    document = parse_document("posts/2025-02-01-ten-megabytes.md", ten_megabytes(), SiteConfig())
    settings = RenderSettings(
        site="s", link_pattern="/{site}/{kind}s/{slug}", asset_base_url="/assets/"
    )
    try:
        rendered = render_document(
            document.body,
            path=document.path,
            description=None,
            settings=settings,
            index=SiteIndex(documents={}, assets=frozenset()),
        )
    except ContentError as error:
        assert "more than the limit" in error.message
    else:
        assert_inert(rendered.html, document.path)
    assert time.monotonic() - started < 10


# -- edge cases that once broke the whole import: each must now be one error line ---------------


@dataclass(frozen=True)
class EdgeCase:
    """A hostile file that once made the whole import fail (on the backends it names)."""

    name: str
    write: Callable[[Path], None]  # writes the file into the site root
    marker: str  # a text that the file's site-relative path contains
    error: str  # what its error line must say


def _text_file(path: str, text: bytes) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        write_file(root, path, text)

    return write


def _invalid_utf8_name(root: Path) -> None:
    folder = root / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / os.fsdecode(b"2025-03-08-bad-name-\xff.md")).write_bytes(b"Body.\n")


def _symlink_loop(root: Path) -> None:
    link = root / "posts" / "2025-03-09-loop.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(link)


EDGE_CASES = [
    EdgeCase(
        "nul-escape-in-title",
        _text_file("posts/2025-03-01-nul-title.md", b'---\ntitle: "a\\0b"\n---\nBody.\n'),
        "nul-title",
        "control character U+0000",
    ),
    EdgeCase(
        "nul-escape-in-keyword",
        _text_file("posts/2025-03-02-nul-keyword.md", b'---\nkeywords: "a\\0b"\n---\nBody.\n'),
        "nul-keyword",
        "control character U+0000",
    ),
    EdgeCase(
        "language-longer-than-its-column",
        _text_file(
            "posts/2025-03-03-long-language.md",
            b"---\nlanguage: en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd\n---\nBody.\n",
        ),
        "long-language",
        "longer than 35 characters",
    ),
    EdgeCase(
        "keyword-slug-longer-than-its-column",
        _text_file(
            "posts/2025-03-04-long-keyword.md", b"---\nkeywords: " + b"k" * 400 + b"\n---\n"
        ),
        "long-keyword",
        "longer than 200 characters",
    ),
    EdgeCase(
        "author-slug-longer-than-its-column",
        _text_file("posts/2025-03-05-long-author.md", b"---\nauthor: " + b"a" * 400 + b"\n---\n"),
        "long-author",
        "longer than 200 characters",
    ),
    EdgeCase(
        "section-id-longer-than-its-column",
        _text_file("pages/long-section.md", b"---\nsection-id: " + b"s" * 300 + b"\n---\n"),
        "long-section",
        "longer than 200 characters",
    ),
    EdgeCase(
        "created-out-of-range-in-utc",
        _text_file(
            "posts/2025-03-06-year-one.md", b"---\ncreated: 0001-01-01T00:00:00+05:00\n---\n"
        ),
        "year-one",
        "too far in the past or future",
    ),
    EdgeCase(
        "created-past-year-9999-in-utc",
        _text_file(
            "posts/2025-03-07-year-max.md", b"---\ncreated: 9999-12-31T23:00:00-05:00\n---\n"
        ),
        "year-max",
        "too far in the past or future",
    ),
    EdgeCase(
        "file-name-not-utf8",
        _invalid_utf8_name,
        "bad-name",
        "file name is not valid text",
    ),
    EdgeCase(
        "symlink-loop",
        _symlink_loop,
        "loop",
        "a loop",
    ),
]


@pytest.mark.parametrize("case", EDGE_CASES, ids=[case.name for case in EDGE_CASES])
def test_edge_case_fails_alone(
    case: EdgeCase, app: Flask, import_site: ImportSite, tmp_path: Path
) -> None:
    """The file gets one error line that says what is wrong; the rest of the site imports."""
    root = tmp_path / "site"
    write_valid_site(root)
    case.write(root)

    report = import_without_escape(import_site, root)

    assert report.committed
    assert set(VALID_BEFORE) <= set(stored(app))
    lines = [p for p in report.failed if case.marker in p.path]
    assert len(lines) == 1, [str(p) for p in report.problems]
    assert case.error in lines[0].message
    assert not [path for path in report.added if case.marker in path]


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the block after ``seconds`` (main thread, POSIX)."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_within(body: str, seconds: float) -> None:
    """Render ``body``; a clear refusal is as good as a rendering, running long is not."""
    settings = RenderSettings(
        site="s", link_pattern="/{site}/{kind}s/{slug}", asset_base_url="/assets/"
    )
    with time_limit(seconds), contextlib.suppress(ContentError):
        render_document(
            body,
            path="posts/flood.md",
            description=None,
            settings=settings,
            index=SiteIndex(documents={}, assets=frozenset()),
        )


# Python-Markdown scans forward from every opener for its closer (upstream Python-Markdown#798):
# before the inline budget, 10,000 "[" (a 10 KB file) took ~30 s to render.
FLOODS = {"brackets": "[", "images": "![", "footnotes": "^[", "anchors": "<a "}


@pytest.mark.parametrize("opener", FLOODS.values(), ids=list(FLOODS))
def test_a_small_flood_of_openers_renders_within_seconds(opener: str) -> None:
    render_within(opener * 10_000, seconds=3)


def test_a_large_bracket_flood_renders_within_seconds() -> None:
    # Python-Markdown scans forward from every "[" (upstream #798): 100 KB of them took ~45 s
    # before the renderer's inline budget; now a fraction of a second.
    render_within("[" * 100_000, seconds=3)
