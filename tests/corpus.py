"""A generated site of any size, the same for the same seed: for tests that need many posts."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

_START = datetime(2019, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = int((datetime(2026, 10, 31, tzinfo=UTC) - _START).total_seconds())
_FIRST = [
    "Ingrid",
    "Raj",
    "Mei",
    "Łukasz",
    "Zoë",
    "José",
    "Amara",
    "Henrik",
    "Priya",
    "Tomás",
    "Aiko",
    "Femi",
]
_LAST = [
    "Solberg",
    "Patel",
    "Lin",
    "Nowak",
    "Müller",
    "García",
    "Okafor",
    "Lindqvist",
    "Rao",
    "Herrera",
]
_TOPICS = [
    "sqlite",
    "postgresql",
    "http",
    "caching",
    "python",
    "testing",
    "apis",
    "performance",
    "search",
    "markdown",
    "security",
    "deployment",
    "logging",
    "queues",
    "indexes",
    "migrations",
    "pagination",
    "unicode",
    "compression",
    "backups",
    "replication",
    "profiling",
    "concurrency",
    "packaging",
    "typing",
    "flask",
    "redis",
    "linux",
    "dns",
    "tls",
]
_QUALIFIERS = ["", " basics", " internals", " in production", " tuning", " pitfalls", " at scale"]
# Titles that sort differently by byte, by case and by locale: the backends must agree anyway.
_TITLE_STARTS = ["", "", "", "a ", "Ä ", "Zebra ", "zebra ", "Éclair ", "10 ", "9 ", "_", "Ω "]
_WORDS = [
    "cache",
    "query",
    "planner",
    "pool",
    "worker",
    "request",
    "response",
    "schema",
    "transaction",
    "index",
    "replica",
    "backup",
    "queue",
    "fixture",
    "endpoint",
    "payload",
    "header",
    "token",
    "cursor",
    "timeout",
    "retry",
    "release",
    "dashboard",
    "alert",
]


@dataclass(frozen=True)
class GeneratedSite:
    """What was written: the folder and the counts a test checks an import against."""

    root: Path
    posts: int
    draft_slugs: frozenset[str]
    pages: int
    authors: tuple[str, ...]  # display names, most posts first (ties by name)
    keywords: tuple[str, ...]  # likewise: the first two often appear together


def _pool(rng: random.Random, size: int, candidates: list[str]) -> list[str]:
    rng.shuffle(candidates)
    return candidates[:size]


def _moment_text(moment: datetime, rng: random.Random) -> str | None:
    """A creation time in one of the forms writers mix; None leaves it to the file name."""
    shape = rng.randrange(7)
    local = moment + timedelta(hours=2)
    return [
        f"{moment:%Y-%m-%d}",  # YAML reads this as a date
        f"'{moment:%Y-%m-%d}'",  # ... and this as text
        f"{moment:%Y-%m-%d %H:%M}",
        f"{moment:%Y-%m-%d %H:%M:%S}",  # a YAML timestamp, naive: the site's timezone
        f"{moment:%Y-%m-%dT%H:%M:%S}Z",
        f"{local:%Y-%m-%dT%H:%M:%S}+02:00",
        None,
    ][shape]


def post_slug(index: int) -> str:
    """The slug of post ``index``: its file name without the date."""
    return f"post-{index:05d}"


def _body(rng: random.Random, size: int, others: list[str]) -> str:
    blocks = [f"## The {rng.choice(_WORDS)} and the {rng.choice(_WORDS)}"]
    length = len(blocks[0])
    while length < size:
        roll = rng.random()
        if roll < 0.15:
            block = "\n".join(f"- {rng.choice(_WORDS)} *{rng.choice(_WORDS)}*" for _ in range(3))
        elif roll < 0.2:
            block = f"```python\n{rng.choice(_WORDS)} = {rng.randrange(1000)}\n```"
        elif roll < 0.3 and others:
            block = (
                f"See [the other post](posts/{rng.choice(others)}) about `{rng.choice(_WORDS)}`."
            )
        else:
            words = rng.choices(_WORDS, k=rng.randrange(8, 20))
            block = " ".join(words).capitalize() + "."
        blocks.append(block)
        length += len(block) + 2
    return "\n\n".join(blocks) + "\n"


def _pick(rng: random.Random, pool: list[str], k: int, *, offset: int) -> list[str]:
    """Up to ``k`` distinct names, the first of ``pool`` far likelier than the last."""
    weights = [1 / (rank + offset) for rank in range(len(pool))]
    return list(dict.fromkeys(rng.choices(pool, weights, k=k)))


def _by_use(counts: Counter[str]) -> tuple[str, ...]:
    return tuple(sorted(counts, key=lambda name: (-counts[name], name)))


def _post(
    rng: random.Random, index: int, authors: list[str], keywords: list[str]
) -> tuple[str, str, bool, list[str], list[str]]:
    created = _START + timedelta(seconds=rng.randrange(_SPAN_SECONDS))
    title = f"{rng.choice(_TITLE_STARTS)}{rng.choice(_WORDS)} {rng.choice(_TOPICS)} {index}"
    lines = ["---", f'title: "{title}"']
    when = _moment_text(created, rng)
    if when is not None:
        lines.append(f"created: {when}")
    if rng.random() < 0.2:
        lines.append(f"modified: {created + timedelta(days=rng.randrange(1, 300)):%Y-%m-%d %H:%M}")
    # Popularity falls off with rank, as with real authors and tags: a few busy ones, a long tail.
    names = _pick(rng, authors, 2 if rng.random() < 0.1 else 1, offset=4)
    lines += (
        [f"author: {names[0]}"] if len(names) == 1 else ["author:", *(f"  - {n}" for n in names)]
    )
    words = _pick(rng, keywords, rng.randrange(0, 6), offset=1)
    if words and rng.random() < 0.5:
        lines.append(f"keywords: {', '.join(words)}")
    elif words:
        lines += ["keywords:", *(f"  - {word}" for word in words)]
    if rng.random() < 0.6:
        lines.append(f"description: About {rng.choice(_WORDS)} and {rng.choice(_TOPICS)}.")
    draft = rng.random() < 0.05
    if draft:
        lines.append("draft: true")
    if rng.random() < 0.05:
        lines.append("language: nb")
    if rng.random() < 0.1:
        lines += ["series:", f"  name: {rng.choice(_TOPICS)} notes", f"  part: {index % 5 + 1}"]
    lines.append("---")
    file_name = f"{created:%Y-%m-%d}-{post_slug(index)}.md"
    return file_name, "\n".join(lines) + "\n", draft, names, words


def _page(index: int, sections: list[str]) -> str:
    return (
        f"---\ntitle: Page {index}\nsection-id: {sections[index % len(sections)]}\n"
        f"sort: {(index * 37) % 11}\n---\n\nThe page about {_WORDS[index % len(_WORDS)]}.\n"
    )


def generate_site(
    root: Path,
    n_posts: int,
    *,
    seed: int,
    body_bytes: int = 300,
    n_authors: int = 60,
    n_keywords: int = 200,
    n_pages: int = 12,
) -> GeneratedSite:
    """Write a site folder of ``n_posts`` posts and ``n_pages`` pages at ``root``.

    Front matter mixes every date form the importer accepts, single and several authors,
    keywords as text or list, drafts (about 5 %), custom keys and titles whose order depends
    on case and locale. Posts link to earlier posts. The same arguments write the same bytes.
    """
    rng = random.Random(seed)
    authors = _pool(rng, n_authors, [f"{f} {last}" for f in _FIRST for last in _LAST])
    keywords = _pool(rng, n_keywords, [f"{t}{q}" for t in _TOPICS for q in _QUALIFIERS])
    (root / "posts").mkdir(parents=True)
    (root / "pages").mkdir()
    (root / "config.yml").write_text(
        "sitename: Generated\nsitedescription: A generated site.\nlanguage: en\n"
        "timezone: Europe/Oslo\n",
        encoding="utf-8",
    )
    written: list[str] = []
    drafts: set[str] = set()
    used_authors: Counter[str] = Counter()
    used_keywords: Counter[str] = Counter()
    for index in range(n_posts):
        file_name, front_matter, draft, names, words = _post(rng, index, authors, keywords)
        body = _body(rng, body_bytes, written[-50:])
        (root / "posts" / file_name).write_text(front_matter + "\n" + body, encoding="utf-8")
        written.append(file_name)
        if draft:
            drafts.add(post_slug(index))
        used_authors.update(names)
        used_keywords.update(words)
    sections = ["guides", "reference", "about"]
    for index in range(n_pages):
        (root / "pages" / f"page-{index:03d}.md").write_text(_page(index, sections), "utf-8")
    return GeneratedSite(
        root, n_posts, frozenset(drafts), n_pages, _by_use(used_authors), _by_use(used_keywords)
    )
