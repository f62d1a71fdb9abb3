"""The parsed form of one markdown file: front matter checked and typed, body untouched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Literal

from mdcms_api.content.dates import parse_datetime
from mdcms_api.content.errors import ContentError
from mdcms_api.content.frontmatter import (
    KeyReader,
    decode_text,
    json_safe,
    scalar_text,
    split_front_matter,
)
from mdcms_api.content.siteconfig import SiteConfig, check_language_tag
from mdcms_api.content.slugs import slugify

DocumentKind = Literal["post", "page"]


@dataclass(frozen=True)
class Term:
    """An author or a keyword: a display name and the slug that identifies it in a site."""

    slug: str
    name: str


@dataclass
class Document:
    """One post or page, as its file says, before rendering."""

    kind: DocumentKind
    path: str  # relative to the site root, posix separators: "posts/2025-04-28-x.md"
    slug: str
    title: str
    body: str  # the markdown after the front matter, exactly as written
    body_line: int  # the 1-based line of the file where the body starts
    created: datetime | None = None  # timezone-aware
    modified: datetime | None = None  # timezone-aware
    authors: list[Term] = field(default_factory=list)
    keywords: list[Term] = field(default_factory=list)
    description: str | None = None
    draft: bool = False
    sort: int = 100
    section_id: str | None = None
    language: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, JSON-safe
    warnings: list[str] = field(default_factory=list)


_KINDS: dict[str, DocumentKind] = {"posts": "post", "pages": "page"}
_DATED_STEM = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)", re.ASCII | re.DOTALL)
_INTEGER_TEXT = re.compile(r"[+-]?\d+", re.ASCII)
_BOOLEAN_WORDS = {"true": True, "yes": True, "false": False, "no": False}
_KNOWN_KEYS = frozenset(
    {
        "title",
        "created",
        "modified",
        "author",
        "keywords",
        "description",
        "draft",
        "sort",
        "section-id",
        "language",
    }
)
DEFAULT_SORT = 100
MAX_NAME_CHARS = 200  # an author, keyword or section id; their slugs must fit a column too
MAX_TERMS = {"author": 20, "keywords": 100}
SORT_RANGE = range(-(2**31), 2**31)  # a database INTEGER column holds it everywhere


def document_identity(path: str) -> tuple[DocumentKind, str] | None:
    """Return (kind, slug) for a site-relative path, or None if the file is not a document.

    Documents are ``.md`` files under ``posts/`` or ``pages/``, subfolders included
    (``posts/2025/x.md``); the slug comes from the file name alone, so two files with one slug
    in different folders are the importer's duplicate error. Hidden files and folders are
    skipped. A post's slug drops a leading ``YYYY-MM-DD-``. Page variants (``about.nb.md``,
    ``about.20260704.md``) keep their whole stem as the slug ("about.nb") until variants are
    designed: the static tool only treats them as variants when config.yml declares them.
    """
    parts = path.split("/")
    kind = _KINDS.get(parts[0])
    if kind is None or len(parts) < 2 or not parts[-1].endswith(".md"):
        return None
    if any(not part or part.startswith(".") for part in parts):
        return None
    stem = parts[-1].removesuffix(".md")
    dated = _DATED_STEM.fullmatch(stem)
    return kind, dated[2] if kind == "post" and dated else stem


def parse_document(path: str, raw: bytes, config: SiteConfig) -> Document:
    """Parse one file of a site into a Document; ContentError with path (and line) if wrong."""
    identity = document_identity(path)
    if identity is None:
        message = "not a document: posts and pages are .md files in posts/ or pages/"
        raise ContentError(message, path=path)
    kind, slug = identity
    try:
        text = decode_text(raw)
        metadata, body, body_line = split_front_matter(text)
        header_lines = text.split("\n", body_line - 1)[: body_line - 1]
        fields = _FrontMatterFields(metadata, header_lines, config)
        document = Document(
            kind=kind, path=path, slug=slug, title="", body=body, body_line=body_line
        )
        fields.fill(document)
    except ContentError as exc:
        raise exc.at(path) from None
    return document


class _FrontMatterFields(KeyReader):
    """Typed reads of front matter keys; an error names the key and the line it is on."""

    def __init__(
        self, metadata: dict[str, Any], header_lines: list[str], config: SiteConfig
    ) -> None:
        super().__init__(metadata, header_lines)
        self.config = config

    def fill(self, document: Document) -> None:
        """Set every front matter field of ``document`` (whose kind, path and slug are set)."""
        title = self.text("title")
        if title is None:
            title = _title_from_slug(document.slug)
            document.warnings.append(f"no title: using {title!r} from the file name")
        document.title = title
        document.created = self.moment("created")
        if document.created is None and document.kind == "post":
            document.created = _date_from_file_name(document.path, self.config.timezone)
        document.modified = self.moment("modified")
        document.authors = self.terms("author", split_commas=False)
        document.keywords = self.terms("keywords", split_commas=True)
        document.description = self.text("description")
        document.draft = self.boolean("draft")
        document.sort = self.integer("sort")
        document.section_id = self.section_id()
        document.language = self.language()
        document.extra = self.extra()

    def moment(self, key: str) -> datetime | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        try:
            return parse_datetime(value, self.config.timezone)
        except ContentError as exc:
            raise self.error(key, exc.message) from None

    def terms(self, key: str, *, split_commas: bool) -> list[Term]:
        """Names in written order; those with one slug (case, accents) merge into the first."""
        value = self.mapping.get(key)
        items = value if isinstance(value, list) else [] if value is None else [value]
        try:
            names = [scalar_text(item) for item in items]
        except ContentError as exc:
            raise self.error(key, f"each entry {exc.message}") from None
        if split_commas:
            names = [part for name in names for part in name.split(",")]
        terms: dict[str, Term] = {}
        for name in filter(None, (name.strip() for name in names)):
            slug = slugify(name)
            if not slug:
                raise self.error(key, f"{name!r} has no letters or digits to make a name from")
            if max(len(name), len(slug)) > MAX_NAME_CHARS:
                raise self.error(
                    key, f"{name[:40]!r}... is longer than {MAX_NAME_CHARS} characters"
                )
            terms.setdefault(slug, Term(slug=slug, name=name))
        if len(terms) > MAX_TERMS[key]:
            raise self.error(key, f"{len(terms)} entries; at most {MAX_TERMS[key]} are allowed")
        return list(terms.values())

    def boolean(self, key: str) -> bool:
        value = self.mapping.get(key)
        if value is None or isinstance(value, bool):
            return bool(value)
        word = value.strip().lower() if isinstance(value, str) else None
        if word in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[word]
        raise self.error(key, f"{value!r} is not a yes/no value; use true, false, yes or no")

    def integer(self, key: str) -> int:
        value = self.mapping.get(key)
        if value is None:
            return DEFAULT_SORT
        if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"{value!r} is not a whole number such as 0, 10 or 100")
        if value not in SORT_RANGE:
            raise self.error(key, f"{value} is out of range; keep it within ±2147483647")
        return value

    def section_id(self) -> str | None:
        section = self.text("section-id")
        if section is not None and len(section) > MAX_NAME_CHARS:
            raise self.error("section-id", f"longer than {MAX_NAME_CHARS} characters")
        return section

    def language(self) -> str:
        tag = self.text("language")
        if tag is None:
            return self.config.language
        try:
            return check_language_tag(tag)
        except ContentError as exc:
            raise self.error("language", exc.message) from None

    def extra(self) -> dict[str, Any]:
        """Keys the API does not know, kept as JSON data (custom fields such as image:)."""
        extra = {}
        for key, value in self.mapping.items():
            if key in _KNOWN_KEYS:
                continue
            try:
                extra[key] = json_safe(value)
            except ContentError as exc:
                raise self.error(key, exc.message) from None
        return extra


def _title_from_slug(slug: str) -> str:
    """ "open-source-ai-models" -> "Open Source Ai Models"."""
    words = [word.capitalize() for word in re.split(r"[-_\s]+", slug) if word]
    return " ".join(words) or slug


def _date_from_file_name(path: str, tz: tzinfo) -> datetime:
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    dated = _DATED_STEM.fullmatch(stem)
    if dated is None:
        raise ContentError(
            "created: missing; give the post a created date or a file name that starts with "
            "YYYY-MM-DD-"
        )
    try:
        return parse_datetime(dated[1], tz)
    except ContentError as exc:
        raise ContentError(f"the file name's date {exc.message}") from None
