"""On a generated site the tests never saw, the API agrees with the files, read independently."""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.corpus import generate_site

ZONE = ZoneInfo("Europe/Oslo")  # generate_site's config.yml
URL = "/api/v1/sites/generated"
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True)
class FilePost:
    """A post as its file says, read without the project's parser."""

    slug: str
    title: str
    created: datetime
    modified: datetime | None
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    draft: bool


def moment(value: object) -> datetime:
    """A front-matter time as the content format defines it; naive means the site's zone."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=ZONE)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=ZONE)
    return moment(datetime.fromisoformat(str(value)))


def read_post(path: Path) -> FilePost:
    _, front, _body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    authors = meta["author"] if isinstance(meta["author"], list) else [meta["author"]]
    keywords = meta.get("keywords", [])
    if isinstance(keywords, str):
        keywords = [word.strip() for word in keywords.split(",") if word.strip()]
    return FilePost(
        slug=path.stem[len("YYYY-MM-DD-") :],
        title=meta["title"],
        created=moment(meta.get("created", path.stem[:10])),
        modified=moment(meta["modified"]) if "modified" in meta else None,
        authors=tuple(authors),
        keywords=tuple(keywords),
        draft=meta.get("draft") is True,
    )


@pytest.fixture
def files(tmp_path: Path, import_site) -> list[FilePost]:
    """The published posts of a generated site that was imported as 'generated'."""
    root = tmp_path / "generated"
    generate_site(root, 150, seed=20261127, n_authors=8, n_keywords=25, body_bytes=120)
    assert not import_site(root, "generated").failed
    posts = [read_post(path) for path in sorted((root / "posts").glob("*.md"))]
    assert any(post.draft for post in posts)
    return [post for post in posts if not post.draft]


def everything(get, url: str, **params) -> list[dict]:
    """Every item of a list, page by page."""
    items, page = [], 1
    while True:
        body = get(url, page=page, page_size=37, **params).get_json()
        items += body["items"]
        if body["pagination"]["next_page"] is None:
            return items
        page = body["pagination"]["next_page"]


def newest_first(posts) -> list[str]:
    return [post.slug for post in sorted(posts, key=lambda p: (p.created, p.slug), reverse=True)]


def test_counts_per_author_and_keyword(files, get):
    authors = {item["name"]: item["post_count"] for item in everything(get, f"{URL}/authors")}
    assert authors == Counter(name for post in files for name in post.authors)
    keywords = {item["name"]: item["post_count"] for item in everything(get, f"{URL}/keywords")}
    assert keywords == Counter(word for post in files for word in post.keywords)
    site = get(URL).get_json()
    assert (site["post_count"], site["author_count"]) == (len(files), len(authors))
    assert site["keyword_count"] == len(keywords)


def test_author_and_keyword_filters(files, get):
    author_slugs = {item["name"]: item["slug"] for item in everything(get, f"{URL}/authors")}
    keyword_slugs = {item["name"]: item["slug"] for item in everything(get, f"{URL}/keywords")}
    two = sorted(author_slugs)[:2]
    expected = [post for post in files if set(post.authors) & set(two)]
    author = [author_slugs[name] for name in two]
    assert [item["slug"] for item in everything(get, f"{URL}/posts", author=author)] == (
        newest_first(expected)
    )
    pair = Counter(
        (a, b) for post in files for a in post.keywords for b in post.keywords if a < b
    ).most_common(1)[0][0]
    expected = [post for post in files if set(pair) <= set(post.keywords)]
    keyword = [keyword_slugs[name] for name in pair]
    assert [item["slug"] for item in everything(get, f"{URL}/posts", keyword=keyword)] == (
        newest_first(expected)
    )


@pytest.mark.parametrize(
    ("start", "end"), [("2020-03-01", "2021-02-28"), ("2023-06-15", None), (None, "2019-12-31")]
)
def test_date_ranges(files, get, start, end):
    low = moment(start) if start else None
    high = datetime.combine(date.fromisoformat(end), time.max, tzinfo=ZONE) if end else None
    expected = [
        post
        for post in files
        if (low is None or post.created >= low) and (high is None or post.created <= high)
    ]
    params = {key: value for key, value in (("created_from", start), ("created_to", end)) if value}
    got = [item["slug"] for item in everything(get, f"{URL}/posts", **params)]
    assert got == newest_first(expected)
    assert expected  # the range is not empty by accident


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("created", lambda p: (p.created, p.slug)),
        ("modified", lambda p: (p.modified or p.created, p.slug)),
        ("title", lambda p: (p.title.translate(ASCII_LOWER), p.slug)),
    ],
)
def test_sorting(files, get, sort, key):
    ascending = [post.slug for post in sorted(files, key=key)]
    assert [item["slug"] for item in everything(get, f"{URL}/posts", sort=sort)] == ascending
    descending = [item["slug"] for item in everything(get, f"{URL}/posts", sort=f"-{sort}")]
    assert descending == ascending[::-1]


def test_times_are_written_in_the_site_zone(files, get):
    by_slug = {post.slug: post for post in files}
    for item in everything(get, f"{URL}/posts"):
        created = datetime.fromisoformat(item["created"])
        assert created == by_slug[item["slug"]].created
        assert created.utcoffset() == by_slug[item["slug"]].created.astimezone(ZONE).utcoffset()
