"""A deterministic generator of benchmark sites: N posts of about 8 KB of GFM with front matter."""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Bump whenever the output changes: the cache key includes it, so old corpora are not reused.
GENERATOR_VERSION = 1
DEFAULT_SEED = 7
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
SITE_SLUG = "bench"
TARGET_BYTES = 8 * 1024
# Every front matter key the generator writes: the peer's table must be created with all of them.
FRONT_MATTER_KEYS = (
    "title",
    "created",
    "modified",
    "author",
    "keywords",
    "description",
    "draft",
    "series",
    "canonical_url",
)


def _split(text: str, sep: str = " ") -> tuple[str, ...]:
    """Word lists are written as one string for readability."""
    return tuple(text.split(sep))


_START = datetime(2019, 1, 1, tzinfo=UTC)
_END = datetime(2026, 10, 31, tzinfo=UTC)

_FIRST_NAMES = _split(
    "Ingrid Raj Mei Łukasz Zoë José Amara Henrik Priya Tomás Aiko Femi Chloé Dmitri Sofía "
    "Kwame Ana Björn Lena Omar Nadia Pedro Yuki Grace Mateus Ewa Hamid Sven Lucía Noor"
)
_LAST_NAMES = _split(
    "Solberg Patel Lin Nowak Müller García Okafor Lindqvist Rao Herrera Tanaka Adeyemi Dubois "
    "Ivanov Ruiz Mensah Costa Ekström Weber Haddad Kowalski Silva Sato Oduya Ferreira Brandt"
)
_TOPICS = _split(
    "SQLite PostgreSQL HTTP Caching Python Testing APIs Performance Search Markdown Security "
    "Deployment Observability Logging Queues Indexes Migrations Pagination Unicode Compression "
    "Containers Rust Go TypeScript Accessibility Backups Replication Profiling Concurrency "
    "Packaging Typing Flask Django Redis Kubernetes Linux Networking DNS TLS OAuth Documentation "
    "Refactoring Monitoring Benchmarks CDNs JSON YAML OpenAPI Webhooks Feature-Flags"
)
_QUALIFIERS = (
    "",
    " Basics",
    " Internals",
    " in Production",
    " Tuning",
    " Pitfalls",
    " Patterns",
    " at Scale",
    " Tooling",
    " Recipes",
)
_NOUNS = _split(
    "cache|query planner|connection pool|worker|request|response|migration|schema|transaction|"
    "index|replica|backup|deployment|queue|fixture|endpoint|payload|header|token|log line|"
    "feature flag|test suite|build pipeline|load balancer|write-ahead log|checkpoint|cursor|"
    "page size|retry policy|timeout|circuit breaker|release train|dashboard|alert|runbook",
    "|",
)
_ADJECTIVES = _split(
    "cold warm shared private slow fast default tuned noisy quiet small large stale fresh "
    "nightly flaky boring careful naive"
)
_VERBS = _split(
    "reduces|hides|exposes|doubles|halves|breaks|simplifies|complicates|delays|speeds up|"
    "dominates|outlives|replaces|protects|invalidates|serialises",
    "|",
)
_TAILS = _split(
    "under load|in production|on a cold start|for small services|when the cache is empty|"
    "after the migration|at the ninety-ninth percentile|on a two-core machine|during a deploy|"
    "for every request|once the data outgrows memory|without anyone noticing|in our benchmarks|"
    "on the first request of the day|when two writers collide",
    "|",
)
_OPENERS = (
    "",
    "In practice, ",
    "Surprisingly, ",
    "Last quarter, ",
    "As a rule, ",
    "For most teams, ",
    "In our experience, ",
    "Sooner or later, ",
)
_IDENTIFIERS = _split(
    "max_age busy_timeout journal_mode fetchmany page_size etag work_mem shared_buffers "
    "keepalive pool_size statement_timeout"
)
_LANGUAGES = ("python", "sql", "bash", "json", "yaml", "toml")
_WORDS = _split("sqlite cache latency index query render import worker")


@dataclass(frozen=True)
class PostIdentity:
    """What other posts need to know of a post to link to it: its file and its title."""

    file_name: str
    title: str
    created: datetime


@dataclass(frozen=True)
class Corpus:
    """A generated site folder on disk, with the facts the benchmarks need to query it."""

    root: Path
    n: int
    seed: int
    total_bytes: int
    drafts: int
    top_author: str
    top_keywords: tuple[str, str]
    search_word: str
    sample_file: str  # a post's path relative to the root, for the one-post and edit benchmarks

    def post_paths(self) -> list[str]:
        """Every post's path relative to the root, sorted."""
        return sorted(f"posts/{name}" for name in os.listdir(self.root / "posts"))


def _build_pools() -> tuple[list[str], list[str], list[str], list[str]]:
    """Sentence, author, keyword and code pools, fixed for a generator version."""
    rng = random.Random(f"pools-v{GENERATOR_VERSION}")
    sentences = [_sentence(rng) for _ in range(4000)]
    authors = sorted({f"{f} {last}" for f in _FIRST_NAMES for last in _LAST_NAMES})
    rng.shuffle(authors)
    keywords = [f"{topic}{qualifier}" for qualifier in _QUALIFIERS for topic in _TOPICS]
    rng.shuffle(keywords)
    codes = [_code_block(rng, _LANGUAGES[i % len(_LANGUAGES)]) for i in range(60)]
    return sentences, authors[:60], keywords[:400], codes


def _sentence(rng: random.Random) -> str:
    noun, other = rng.choice(_NOUNS), rng.choice(_NOUNS)
    shape = rng.random()
    if shape < 0.5:
        text = (
            f"{rng.choice(_OPENERS)}the {rng.choice(_ADJECTIVES)} {noun} {rng.choice(_VERBS)} "
            f"the {other} {rng.choice(_TAILS)}."
        )
    elif shape < 0.75:
        text = (
            f"We measured the {noun} before and after the change, and the {other} "
            f"{rng.choice(_VERBS)} {rng.choice(_TAILS)}."
        )
    else:
        text = (
            f"If the {noun} {rng.choice(_VERBS)} the {other}, the {rng.choice(_ADJECTIVES)} "
            f"{rng.choice(_NOUNS)} {rng.choice(_VERBS)} {rng.choice(_TAILS)} as well."
        )
    text = text[0].upper() + text[1:]
    return _decorate(rng, text)


def _decorate(rng: random.Random, text: str) -> str:
    """Add the inline markup writers use: emphasis, strong, code, strikethrough."""
    words = text.split(" ")
    roll = rng.random()
    at = rng.randrange(1, len(words) - 1)
    if roll < 0.15:
        words[at] = f"*{words[at]}*"
    elif roll < 0.25:
        words[at] = f"**{words[at]}**"
    elif roll < 0.35:
        words.insert(at, f"`{rng.choice(_IDENTIFIERS)}`")
    elif roll < 0.37:
        words[at] = f"~~{words[at]}~~"
    return " ".join(words)


def _code_block(rng: random.Random, language: str) -> str:
    name = rng.choice(_IDENTIFIERS)
    value = rng.randrange(1, 5000)
    lines = {
        "python": [
            f"def configure_{name}(conn, value: int = {value}) -> None:",
            '    """Apply the setting once per connection."""',
            f'    conn.execute("PRAGMA {name} = ?", (value,))',
            "    if value > 1000:",
            '        log.warning("large %s", value)',
        ],
        "sql": [
            f"SELECT id, title, created FROM posts WHERE {name} > {value}",
            "  AND draft = 0",
            " ORDER BY created DESC",
            " LIMIT 20;",
        ],
        "bash": [f"export {name.upper()}={value}", f"curl -sS http://127.0.0.1:5000/{name} | jq ."],
        "json": ["{", f'  "{name}": {value},', '  "enabled": true,', '  "tags": ["a", "b"]', "}"],
        "yaml": [f"{name}: {value}", "enabled: true", "tags:", "  - a", "  - b"],
        "toml": ["[settings]", f"{name} = {value}", "enabled = true"],
    }[language]
    return f"```{language}\n" + "\n".join(lines) + "\n```"


_SENTENCES, AUTHORS, KEYWORDS, _CODES = _build_pools()
# Popularity falls off with rank, as real authors and tags do: a few hot ones, a long tail.
_AUTHOR_WEIGHTS = [1 / (rank + 4) for rank in range(len(AUTHORS))]
_KEYWORD_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(KEYWORDS))]


def identity(seed: int, index: int) -> PostIdentity:
    """The file name, title and creation time of post ``index``: independent of N."""
    rng = random.Random(f"{seed}:{index}:identity")
    created = _START + timedelta(seconds=rng.randrange(int((_END - _START).total_seconds())))
    topic = rng.choice(KEYWORDS)
    noun = rng.choice(_NOUNS)
    if rng.random() < 0.35:
        title = f"{topic}: what the {noun} taught us about {rng.choice(_TAILS).split()[-1]}"
    else:
        title = f"Notes on the {rng.choice(_ADJECTIVES)} {noun} and {topic}"
    slug = "-".join(title.lower().replace(":", "").split()[:8])
    return PostIdentity(f"{created:%Y-%m-%d}-{slug}-{index}.md", title, created)


def _yaml_title(title: str, rng: random.Random) -> str:
    """A title as writers quote it: a colon forces quotes, and some quote anyway."""
    if ":" in title or rng.random() < 0.1:
        if rng.random() < 0.3:
            return "'" + title.replace("'", "''") + "'"
        return '"' + title.replace('"', '\\"') + '"'
    return title


def _yaml_moment(moment: datetime, rng: random.Random) -> str:
    """A date in one of the formats writers mix: date only, with minutes, seconds or offset."""
    shape = rng.randrange(5)
    if shape == 0:
        return f"{moment:%Y-%m-%d}"
    if shape == 1:
        return f"{moment:%Y-%m-%d %H:%M}"
    if shape == 2:
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    if shape == 3:
        return f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    return f"{moment + timedelta(hours=2):%Y-%m-%dT%H:%M:%S}+02:00"  # the same instant, in CEST


def _front_matter(seed: int, index: int, me: PostIdentity, rng: random.Random) -> str:
    lines = [
        "---",
        f"title: {_yaml_title(me.title, rng)}",
        f"created: {_yaml_moment(me.created, rng)}",
    ]
    if rng.random() < 0.15:
        later = me.created + timedelta(days=rng.randrange(1, 400))
        lines.append(f"modified: {_yaml_moment(min(later, _END), rng)}")
    authors = rng.choices(AUTHORS, _AUTHOR_WEIGHTS, k=2 if rng.random() < 0.1 else 1)
    if len(authors) == 1:
        lines.append(f"author: {authors[0]}")
    else:
        lines += ["author:", *(f"  - {name}" for name in dict.fromkeys(authors))]
    keywords = list(dict.fromkeys(rng.choices(KEYWORDS, _KEYWORD_WEIGHTS, k=rng.randrange(2, 7))))
    if rng.random() < 0.03:  # spellings differing in case are one keyword to the importer
        keywords[0] = keywords[0].lower()
    if rng.random() < 0.6:
        lines.append(f"keywords: {', '.join(keywords)}")
    else:
        lines += ["keywords:", *(f"  - {word}" for word in keywords)]
    if rng.random() < 0.7:
        lines.append(f"description: {rng.choice(_SENTENCES).replace('`', '').replace(':', ',')}")
    roll = rng.random()
    if roll < 0.03:
        lines.append("draft: true")
    elif roll < 0.07:
        lines.append("draft: false")
    if rng.random() < 0.05:
        lines.append(f"series: {rng.choice(_TOPICS)} notes")
    if rng.random() < 0.02:
        lines.append(f"canonical_url: https://example.org/{seed}/{index}")
    lines.append("---")
    return "\n".join(lines)


def _paragraph(rng: random.Random, links: list[PostIdentity]) -> str:
    sentences = rng.sample(_SENTENCES, rng.randrange(3, 7))
    if links and rng.random() < 0.4:
        other = rng.choice(links)
        sentences.insert(
            rng.randrange(len(sentences)), f"See [{other.title}](posts/{other.file_name})."
        )
    elif rng.random() < 0.15:
        sentences.append(f"The [reference](https://example.org/docs/{rng.randrange(99)}) agrees.")
    return " ".join(sentences)


def _bullets(rng: random.Random) -> str:
    items = []
    ordered = rng.random() < 0.35
    task = not ordered and rng.random() < 0.1
    for number in range(1, rng.randrange(3, 7)):
        text = rng.choice(_SENTENCES)
        marker = f"{number}." if ordered else ("- [x]" if task and number % 2 else "-")
        items.append(f"{marker} {text}")
        if not ordered and rng.random() < 0.2:
            items.append(f"    - {rng.choice(_SENTENCES)}")
    return "\n".join(items)


def _table(rng: random.Random) -> str:
    columns = rng.sample(
        ["setting", "default", "ours", "effect", "p50", "p99"], rng.randrange(3, 5)
    )
    rows = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    for _ in range(rng.randrange(3, 7)):
        cells = [f"`{rng.choice(_IDENTIFIERS)}`"]
        cells += [str(rng.randrange(1, 900)) for _ in columns[1:]]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _section(rng: random.Random, links: list[PostIdentity]) -> list[str]:
    heading = f"## The {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
    blocks = [heading, _paragraph(rng, links)]
    extras = [_bullets, _table, lambda r: r.choice(_CODES), _quote, _subsection]
    for make in rng.sample(extras, rng.randrange(2, 5)):
        blocks.append(make(rng))
        blocks.append(_paragraph(rng, links))
    return blocks


def _quote(rng: random.Random) -> str:
    return "> " + rng.choice(_SENTENCES)


def _subsection(rng: random.Random) -> str:
    return f"### {rng.choice(_TOPICS)} and the {rng.choice(_NOUNS)}"


def render_post(seed: int, index: int, identities: list[PostIdentity]) -> str:
    """The whole file of post ``index``; it links only to earlier posts, which always exist."""
    rng = random.Random(f"{seed}:{index}:body")
    me = identities[index]
    links = [identities[rng.randrange(index)] for _ in range(min(index, 4))]
    blocks = [_front_matter(seed, index, me, rng), _paragraph(rng, links)]
    # The last section overshoots by a few hundred bytes, so aim a little low.
    target = int(TARGET_BYTES * rng.uniform(0.8, 1.1))
    size = sum(len(block) + 2 for block in blocks)
    while size < target:
        for block in _section(rng, links):
            blocks.append(block)
            size += len(block) + 2
            if size >= target and not block.startswith("#"):
                break
    if rng.random() < 0.1:
        blocks.append(f"A closing thought.[^note]\n\n[^note]: {rng.choice(_SENTENCES)}")
    return "\n\n".join(blocks) + "\n"


def corpus_dir(n: int, seed: int) -> Path:
    """Where the corpus of (n, seed, generator version) is cached."""
    return CACHE_DIR / "corpus" / f"v{GENERATOR_VERSION}-n{n}-s{seed}"


def _facts(root: Path, n: int, seed: int, total_bytes: int, drafts: int) -> Corpus:
    sample = identity(seed, n // 2).file_name
    return Corpus(
        root=root,
        n=n,
        seed=seed,
        total_bytes=total_bytes,
        drafts=drafts,
        top_author=AUTHORS[0],
        top_keywords=(KEYWORDS[0], KEYWORDS[1]),
        search_word=_WORDS[1],
        sample_file=f"posts/{sample}",
    )


def write_corpus(root: Path, n: int, seed: int) -> Corpus:
    """Generate the site folder at ``root`` (which must not exist yet)."""
    posts = root / "posts"
    posts.mkdir(parents=True)
    (root / "config.yml").write_text(
        "sitename: Bench\nsitedescription: A generated site for benchmarks.\n"
        "language: en\ntimezone: Europe/Oslo\n",
        encoding="utf-8",
    )
    identities = [identity(seed, index) for index in range(n)]
    total = drafts = 0
    for index, me in enumerate(identities):
        data = render_post(seed, index, identities).encode("utf-8")
        drafts += b"\ndraft: true\n" in data
        total += len(data)
        (posts / me.file_name).write_bytes(data)
    return _facts(root, n, seed, total, drafts)


def ensure_corpus(n: int, seed: int = DEFAULT_SEED) -> Corpus:
    """Return the cached corpus, generating it first if it is missing or incomplete."""
    root = corpus_dir(n, seed)
    manifest = root / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text())
        return _facts(root, n, seed, data["total_bytes"], data["drafts"])
    # Generate beside the final place and rename: an interrupted run never leaves a half corpus.
    partial = root.with_name(root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    corpus = write_corpus(partial, n, seed)
    facts = {k: v for k, v in asdict(corpus).items() if k in ("total_bytes", "drafts")}
    (partial / "manifest.json").write_text(json.dumps(facts))
    partial.rename(root)
    seconds = time.perf_counter() - started
    print(
        f"generated {n} posts ({corpus.total_bytes / 1e6:.0f} MB) in {seconds:.1f} s",
        file=sys.stderr,
    )
    return _facts(root, n, seed, corpus.total_bytes, corpus.drafts)


if __name__ == "__main__":
    for size in map(int, sys.argv[1:] or ["1000"]):
        print(ensure_corpus(size).root)
