"""Parsing one post or page: every row, default and fix of the content format."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mdcms_api.content.document import Term, document_identity, parse_document
from mdcms_api.content.errors import ContentError
from mdcms_api.content.siteconfig import SiteConfig

UTC_SITE = SiteConfig()
OSLO_SITE = SiteConfig(language="nb", timezone=ZoneInfo("Europe/Oslo"))

SEED_LIKE_POST = """\
---
title: "Open Source AI Models in 2025: The Landscape Is More Complex Than It Seems"
created: 2025-04-28 11:00
author: Raj Patel
keywords: open source AI, Llama 3, Mistral, Gemma, open weights, AI licensing, Meta AI
description: Llama, Mistral, Gemma — the "open source AI" movement is growing fast. But what?
---

The phrase "open source AI model" is used everywhere.

## What "Open" Can Mean for an AI Model
"""


def parse(front_matter: str, *, path: str = "pages/about.md", site: SiteConfig = UTC_SITE):
    return parse_document(path, f"---\n{front_matter}\n---\nBody\n".encode(), site)


def parse_error(front_matter: str, *, path: str = "pages/about.md") -> ContentError:
    with pytest.raises(ContentError) as caught:
        parse(front_matter, path=path)
    assert caught.value.path == path
    return caught.value


# --- names and slugs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "identity"),
    [
        ("posts/2025-04-28-open-source-ai-models.md", ("post", "open-source-ai-models")),
        ("posts/2025/2025-04-28-x.md", ("post", "x")),
        ("posts/no-date.md", ("post", "no-date")),
        ("pages/about.md", ("page", "about")),
        ("pages/about.nb.md", ("page", "about.nb")),
        ("pages/about.20260704.md", ("page", "about.20260704")),
        ("pages/docs/install.md", ("page", "install")),
        ("pages/2025-04-28-dated.md", ("page", "2025-04-28-dated")),
    ],
)
def test_document_identity(path, identity):
    assert document_identity(path) == identity


@pytest.mark.parametrize(
    "path",
    [
        "about.md",
        "posts",
        "posts/",
        "posts/x.txt",
        "posts/x.markdown",
        "drafts/x.md",
        "assets/images/x.md",
        "posts/.hidden.md",
        "posts/.drafts/x.md",
        "posts/.md",
        "posts//x.md",
        "config.yml",
    ],
)
def test_not_a_document(path):
    assert document_identity(path) is None


def test_parse_document_refuses_a_path_that_is_not_a_document():
    with pytest.raises(ContentError, match="not a document") as caught:
        parse_document("notes/x.md", b"", UTC_SITE)
    assert caught.value.path == "notes/x.md"


# --- the seed post -----------------------------------------------------------------------


def test_seed_like_post_parses_exactly():
    path = "posts/2025-04-28-open-source-ai-models.md"
    doc = parse_document(path, SEED_LIKE_POST.encode(), OSLO_SITE)
    assert doc.kind == "post"
    assert doc.path == path
    assert doc.slug == "open-source-ai-models"
    assert doc.title == (
        "Open Source AI Models in 2025: The Landscape Is More Complex Than It Seems"
    )
    assert doc.created == datetime(2025, 4, 28, 11, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert doc.created.utcoffset() == timedelta(hours=2)
    assert doc.modified is None
    assert doc.authors == [Term("raj-patel", "Raj Patel")]
    assert doc.keywords == [
        Term("open-source-ai", "open source AI"),
        Term("llama-3", "Llama 3"),
        Term("mistral", "Mistral"),
        Term("gemma", "Gemma"),
        Term("open-weights", "open weights"),
        Term("ai-licensing", "AI licensing"),
        Term("meta-ai", "Meta AI"),
    ]
    assert doc.description.startswith('Llama, Mistral, Gemma — the "open source AI" movement')
    assert (doc.draft, doc.sort, doc.section_id, doc.language) == (False, 100, None, "nb")
    assert doc.extra == {}
    assert doc.warnings == []
    assert doc.body == SEED_LIKE_POST.split("---\n", 2)[2]
    assert doc.body_line == 8
    assert SEED_LIKE_POST.splitlines()[doc.body_line - 1] == ""
    assert SEED_LIKE_POST.splitlines()[doc.body_line].startswith("The phrase")


# --- decoding and shape ------------------------------------------------------------------


def test_bom_and_crlf():
    raw = "\ufeff---\r\ntitle: Hi\r\n---\r\nBody\r\n".encode()
    doc = parse_document("pages/a.md", raw, UTC_SITE)
    assert (doc.title, doc.body, doc.body_line) == ("Hi", "Body\r\n", 4)


def test_no_front_matter():
    doc = parse_document("pages/plain-page.md", b"# Heading\n\nText\n", UTC_SITE)
    assert (doc.body, doc.body_line, doc.title) == ("# Heading\n\nText\n", 1, "Plain Page")


def test_empty_file_is_a_page_with_a_derived_title():
    doc = parse_document("pages/empty.md", b"", UTC_SITE)
    assert (doc.title, doc.body, doc.created) == ("Empty", "", None)


def test_invalid_utf8_names_the_line():
    with pytest.raises(ContentError, match="UTF-8") as caught:
        parse_document("pages/a.md", b"---\ntitle: Hi\n---\nok\n\xc3\x28\n", UTC_SITE)
    assert (caught.value.path, caught.value.line) == ("pages/a.md", 5)


def test_binary_file():
    with pytest.raises(ContentError, match="not a text file"):
        parse_document("pages/a.md", b"GIF89a\x01\x00\x00\x00", UTC_SITE)


def test_unclosed_front_matter_names_path_and_line():
    with pytest.raises(ContentError, match="never closed") as caught:
        parse_document("pages/a.md", b"---\ntitle: Hi\n", UTC_SITE)
    assert (caught.value.path, caught.value.line) == ("pages/a.md", 1)


@pytest.mark.parametrize("front_matter", ["- a\n- b", "just a sentence"])
def test_front_matter_must_be_a_mapping(front_matter):
    assert "must be a mapping" in parse_error(front_matter).message


def test_alias_is_an_error_for_the_file():
    error = parse_error("title: &t Hi\ndescription: *t")
    assert error.line == 2


# --- title -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "title"), [('"A: B"', "A: B"), ("2025", "2025"), ("3.5", "3.5")])
def test_title(value, title):
    assert parse(f"title: {value}").title == title


@pytest.mark.parametrize("front_matter", ["author: X", "title:", 'title: ""', "title: '   '"])
def test_missing_title_is_derived_with_a_warning(front_matter):
    doc = parse(front_matter, path="posts/2025-04-28-open-source-ai-models.md")
    assert doc.title == "Open Source Ai Models"
    assert doc.warnings == ["no title: using 'Open Source Ai Models' from the file name"]


@pytest.mark.parametrize("value", ["[a, b]", "{a: b}", "yes"])
def test_title_that_is_not_text(value):
    error = parse_error(f"description: d\ntitle: {value}")
    assert error.message.startswith("title: ")
    assert error.line == 3


# --- created and modified ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-04-28", datetime(2025, 4, 28)),
        ("2025-04-28 11:00", datetime(2025, 4, 28, 11, 0)),
        ("2025-04-28 11:00:30", datetime(2025, 4, 28, 11, 0, 30)),
        ("2025-04-28T11:00:30", datetime(2025, 4, 28, 11, 0, 30)),
        ('"2025-04-28"', datetime(2025, 4, 28)),
    ],
)
def test_created_formats_are_in_the_site_time_zone(value, expected):
    oslo = ZoneInfo("Europe/Oslo")
    doc = parse(f"title: T\ncreated: {value}", site=OSLO_SITE)
    assert doc.created == expected.replace(tzinfo=oslo)
    assert doc.created.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("2025-04-28T11:00:00+05:00", timedelta(hours=5)),
        ("2025-04-28 11:00:00 -05:00", timedelta(hours=-5)),
        ("2025-04-28T11:00:00Z", timedelta(0)),
        ("2025-04-28 11:00 +01:00", timedelta(hours=1)),
    ],
)
def test_created_with_an_offset_keeps_it(value, offset):
    assert parse(f"created: {value}", site=OSLO_SITE).created.utcoffset() == offset


def test_created_defaults_to_the_file_name_date_at_midnight_in_the_site_time_zone():
    doc = parse("title: T", path="posts/2025-01-15-x.md", site=OSLO_SITE)
    assert doc.created == datetime(2025, 1, 15, tzinfo=ZoneInfo("Europe/Oslo"))


def test_front_matter_created_wins_over_the_file_name():
    doc = parse("created: 2024-12-31", path="posts/2025-01-15-x.md")
    assert doc.created.date().isoformat() == "2024-12-31"


def test_post_without_date_anywhere_is_an_error():
    error = parse_error("title: T", path="posts/undated.md")
    assert "created: missing" in error.message


def test_post_without_prefix_but_with_created():
    doc = parse("created: 2025-04-28", path="posts/undated.md")
    assert (doc.slug, doc.created.day) == ("undated", 28)


def test_post_with_an_impossible_file_name_date():
    error = parse_error("title: T", path="posts/2025-13-45-x.md")
    assert "file name's date '2025-13-45' is not a date" in error.message


def test_page_created_defaults_to_none():
    assert parse("title: T", path="pages/2025-04-28-about.md").created is None


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "soon", "yes", "20250428", "[1]"])
def test_unparseable_created_names_key_line_and_formats(value):
    error = parse_error(f"title: T\nauthor: A\ncreated: {value}")
    assert error.message.startswith("created: ")
    assert "use YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601" in error.message
    assert error.line == 4


def test_error_message_quotes_the_written_date():
    error = parse_error("created: 2025-13-01")
    assert error.message == (
        "created: '2025-13-01' is not a date; use YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601"
    )


def test_modified():
    doc = parse("created: 2023-05-09 10:15\nmodified: 2024-03-06 08:00", site=OSLO_SITE)
    assert doc.modified == datetime(2024, 3, 6, 8, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert parse("title: T").modified is None
    assert parse_error("modified: last week").message.startswith("modified: ")


# --- author and keywords -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("Raj Patel", [Term("raj-patel", "Raj Patel")]),
        ("'  Raj Patel  '", [Term("raj-patel", "Raj Patel")]),
        ("Łukasz Nowak", [Term("lukasz-nowak", "Łukasz Nowak")]),
        (
            "[José García, Mei Lin, jose garcia, '']",
            [Term("jose-garcia", "José García"), Term("mei-lin", "Mei Lin")],
        ),
        ("Smith, John", [Term("smith-john", "Smith, John")]),  # one name: authors never split
        ("", []),
        ("[]", []),
    ],
)
def test_author(value, authors):
    assert parse(f"author: {value}").authors == authors


def test_no_author():
    assert parse("title: T").authors == []


@pytest.mark.parametrize("value", ["{name: X}", "[[a]]", "'!!!'", "['Ann', '???']", "[yes]"])
def test_author_errors(value):
    error = parse_error(f"title: T\nauthor: {value}")
    assert error.message.startswith("author: ")
    assert error.line == 3


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("open source AI, Llama 3, Mistral", ["open source AI", "Llama 3", "Mistral"]),
        ("AI, , ai,  Café , cafe,CAFÉ,", ["AI", "Café"]),
        ("[Python, python, 3, 3.11]", ["Python", "3", "3.11"]),
        ("[' spaced ', '']", ["spaced"]),
        ("single", ["single"]),
        ("''", []),
    ],
)
def test_keywords(value, names):
    assert [term.name for term in parse(f"keywords: {value}").keywords] == names


def test_keyword_slugs():
    doc = parse("keywords: Llama 3, José García")
    assert [term.slug for term in doc.keywords] == ["llama-3", "jose-garcia"]


@pytest.mark.parametrize("value", ["{a: b}", "[[a, b]]", "'AI, !!!'"])
def test_keyword_errors(value):
    assert parse_error(f"keywords: {value}").message.startswith("keywords: ")


# --- description, draft, sort, section-id, language --------------------------------------


def test_description():
    assert parse("description: A summary.").description == "A summary."
    assert parse("description: >\n  folded\n  text").description == "folded text"
    assert parse("title: T").description is None
    assert parse_error("description: [a]").message.startswith("description: ")


@pytest.mark.parametrize(
    ("value", "draft"),
    [
        ("true", True),
        ("false", False),
        ("yes", True),
        ("no", False),
        ("True", True),
        ('"true"', True),
        ('"false"', False),
        ('"yes"', True),
        ('"no"', False),  # fix: the static tool read the string "no" as true
        ('"NO"', False),
        ("' Yes '", True),
    ],
)
def test_draft(value, draft):
    assert parse(f"draft: {value}").draft is draft


def test_draft_defaults_to_false():
    assert parse("title: T").draft is False


@pytest.mark.parametrize("value", ["1", "0", '"maybe"', "[true]", '""', "'n'"])
def test_draft_errors(value):
    error = parse_error(f"title: T\ndraft: {value}")
    assert error.message.startswith("draft: ")
    assert "use true, false, yes or no" in error.message
    assert error.line == 3


@pytest.mark.parametrize(
    ("value", "sort"), [("0", 0), ("5", 5), ('"5"', 5), ("' 7 '", 7), ("-1", -1), ("250", 250)]
)
def test_sort(value, sort):
    assert parse(f"sort: {value}").sort == sort


def test_sort_defaults_to_100():
    assert parse("title: T").sort == 100


@pytest.mark.parametrize("value", ["true", "1.5", '"five"', "[1]", "99999999999", '""'])
def test_sort_errors(value):
    assert parse_error(f"sort: {value}").message.startswith("sort: ")


def test_section_id():
    assert parse("section-id: guides").section_id == "guides"
    assert parse("section-id: 2").section_id == "2"
    assert parse("title: T").section_id is None
    assert parse_error("section-id: [a]").message.startswith("section-id: ")


def test_language():
    assert parse("language: pt-BR").language == "pt-BR"
    assert parse("title: T").language == "en"
    assert parse("title: T", site=OSLO_SITE).language == "nb"
    assert parse("language: ''", site=OSLO_SITE).language == "nb"


@pytest.mark.parametrize(("value", "message"), [("no", "in quotes"), ("Norsk bokmål", "code")])
def test_language_errors(value, message):
    assert message in parse_error(f"language: {value}").message


# --- unknown keys ------------------------------------------------------------------------


def test_unknown_keys_are_kept_as_json_data():
    doc = parse(
        "title: T\nimage: assets/images/hero.jpg\ncanonical: https://example.com/x\n"
        "event:\n  starts: 2025-05-01 09:00:00\n  days: [2025-05-01, 2025-05-02]\n"
        "rating: 4.5\nfeatured: yes\nnothing:"
    )
    assert doc.extra == {
        "image": "assets/images/hero.jpg",
        "canonical": "https://example.com/x",
        "event": {"starts": "2025-05-01T09:00:00", "days": ["2025-05-01", "2025-05-02"]},
        "rating": 4.5,
        "featured": True,
        "nothing": None,
    }


def test_known_keys_are_not_in_extra():
    assert parse("title: T\nsort: 3\nsection-id: a").extra == {}


def test_unknown_value_without_json_form():
    error = parse_error("title: T\nscore: .nan")
    assert error.message.startswith("score: ")
    assert error.line == 3
