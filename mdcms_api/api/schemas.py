"""marshmallow schemas: query parameters in, JSON documents out (and their OpenAPI types)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar

from flask import url_for
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    missing,
    post_load,
    validate,
    validates_schema,
)
from marshmallow.utils import get_value
from sqlalchemy import inspect

from mdcms_api.api.site_context import current_site
from mdcms_api.content.dates import ACCEPTED_FORMATS, parse_datetime
from mdcms_api.content.errors import ContentError
from mdcms_api.storage.listing import RELEVANCE
from mdcms_api.storage.page_queries import NAVIGATION, PAGE_SORTS
from mdcms_api.storage.post_queries import BODY_FIELDS, POST_SORTS
from mdcms_api.storage.search import KINDS, MAX_QUERY_LENGTH, Query, QueryError, parse_query
from mdcms_api.storage.term_queries import TERM_SORTS

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 2**31 - 1  # far past any real list; keeps generated clients on 32-bit integers
MAX_SLUG_LENGTH = 300  # the slug columns' size
RELATED_KEYWORDS_LIMIT = 10
NO_NUL_PATTERN = r"^[^\x00]*$"
SEARCH_PARAMETER = "q"
# What the query parser refuses outright, as a pattern: control characters (but the whitespace
# ones) anywhere, and no letter or digit at all. Queries matching it can still be refused (only
# exclusions: `-spam`); the description says so.
_QUERY_CHAR = r"[^\x00-\x08\x0e-\x1f\x7f-\x9f]"
SEARCH_QUERY_PATTERN = rf"^{_QUERY_CHAR}*[^\W_]{_QUERY_CHAR}*$"


# --- fields -------------------------------------------------------------------------------


class SlugParam(fields.String):
    """A slug given as a query parameter: bounded, and without NUL (PostgreSQL rejects it)."""

    def __init__(self, *, metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(
            validate=[validate.Length(min=1, max=MAX_SLUG_LENGTH), validate.ContainsNoneOf("\x00")],
            # The document says so too: a client (or a test generator) must not expect NUL to pass.
            metadata={**(metadata or {}), "pattern": NO_NUL_PATTERN},
            **kwargs,
        )


class SearchQueryParam(fields.String):
    """A full-text search query (docs/search.md), loaded as a parsed Query.

    Its errors are a 400, not a 422 (see errors.py): the text is what a reader typed.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            metadata={
                "description": "Full-text search (language: docs/search.md): words must all "
                'match; `"exact phrase"`, `a OR b`, `-excluded`, `prefix*`. At most '
                f"{MAX_QUERY_LENGTH} characters, no control characters, and at least one word "
                "that is not excluded; otherwise a 400 problem naming `q`.",
                "minLength": 1,
                "maxLength": MAX_QUERY_LENGTH,
                "pattern": SEARCH_QUERY_PATTERN,
            },
            error_messages={"required": "a search query is required"},
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Query:
        try:
            return parse_query(super()._deserialize(value, attr, data, **kwargs))
        except QueryError as error:
            raise ValidationError(error.message) from error


# A local date-time (no offset: the site's time zone) whose pattern admits only real days, so
# that every value the document allows is one the API accepts. February 29 is left out: the API
# takes it in leap years, a client writing dates in RFC 3339 can too.
_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?"
LOCAL_DATETIME_PATTERN = f"^{_YEAR}-{_MONTH_DAY}[T ]{_TIME}$"


def date_forms() -> list[dict[str, str]]:
    """The forms a date parameter takes, as JSON Schema; new objects each time (no YAML anchors)."""
    return [{"format": "date"}, {"format": "date-time"}, {"pattern": LOCAL_DATETIME_PATTERN}]


class DateParam(fields.String):
    """A date or date-time: its form is checked here, it is read in the site's time zone later."""

    def __init__(self, *, description: str) -> None:
        super().__init__(metadata={"description": description, "anyOf": date_forms()})

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            date_bound(text, UTC)
        except ContentError as error:
            raise ValidationError(f"Not a date or date-time; use {ACCEPTED_FORMATS}.") from error
        return text


# The years whose dates can fall outside what a datetime holds once converted to UTC, and a
# neighbour of each with the same leap-year rule (so it parses exactly when the original would).
_EDGE_YEARS = {"0001": "0002", "9999": "9998"}


def date_bound(text: str, zone: tzinfo, *, end_of_day: bool = False) -> datetime:
    """A ``created_from``/``created_to`` value as an instant in ``zone``; ContentError if bad.

    ``0001-01-01`` in a zone east of UTC is before the first instant a datetime holds in UTC
    (and ``9999-12-31`` west of it after the last): the parser refuses such dates, but as a
    bound they just mean "from the beginning" or "to the end", so they are clamped.
    """
    try:
        return parse_datetime(text, zone, end_of_day=end_of_day)
    except ContentError:
        text = text.strip()
        if text[:4] not in _EDGE_YEARS:
            raise
        # Raises for a malformed value; passes for one that only overflowed.
        parse_datetime(_EDGE_YEARS[text[:4]] + text[4:], zone, end_of_day=end_of_day)
        edge = datetime.min if text[:4] == "0001" else datetime.max
        return edge.replace(tzinfo=UTC)


class SiteDateTime(fields.DateTime):
    """An aware datetime written as ISO 8601 in the site's time zone, with its offset."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return super()._serialize(value.astimezone(current_site().zone), attr, obj, **kwargs)


class LoadedText(fields.String):
    """A body column: written only when it was loaded (``include=``), never loaded lazily."""

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        if attr in inspect(obj).unloaded:
            return missing
        return super().get_value(obj, attr, accessor, default)


class ResourceUrl(fields.String):
    """The absolute API URL of the object being written, from its slug and the request's host."""

    def __init__(self, endpoint: str, *, site_level: bool = False, **kwargs: Any) -> None:
        super().__init__(dump_only=True, required=True, metadata={"format": "uri"}, **kwargs)
        self.endpoint = endpoint
        self.site_level = site_level  # the object is a site: its slug is the ``site`` argument

    def serialize(self, attr: str, obj: Any, accessor: Any = None, **kwargs: Any) -> str:
        slug = get_value(obj, "slug")
        if self.site_level:
            return url_for(self.endpoint, site=slug, _external=True)
        return url_for(self.endpoint, site=current_site().slug, slug=slug, _external=True)


class DocumentUrl(fields.String):
    """The absolute API URL of a post or a page, by the object's ``kind``."""

    ENDPOINTS: ClassVar[dict[str, str]] = {"post": "posts.get_post", "page": "pages.get_page"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(dump_only=True, required=True, metadata={"format": "uri"}, **kwargs)

    def serialize(self, attr: str, obj: Any, accessor: Any = None, **kwargs: Any) -> str:
        endpoint = self.ENDPOINTS[get_value(obj, "kind")]
        slug = get_value(obj, "slug")
        return url_for(endpoint, site=current_site().slug, slug=slug, _external=True)


def snippet_field() -> fields.String:
    """A search hit's passage; in a list item only when the list was searched (``q``)."""
    return fields.String(
        metadata={
            "description": "Only with `q`: a passage of the body as HTML, the matched words in "
            "`<mark>`, every other character escaped, no other markup."
        }
    )


class FirstOf(fields.Nested):
    """The first element of another list attribute, or null: a post's main author."""

    def __init__(self, nested: Any, *, source: str, **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self.source = source

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = missing) -> Any:
        values = get_value(obj, self.source)
        return values[0] if values else None


# --- query parameters ---------------------------------------------------------------------


class PreviewQuerySchema(Schema):
    """Parameters every read accepts."""

    preview = fields.Boolean(
        load_default=False,
        metadata={"description": "Show drafts; needs `Authorization: Bearer <preview token>`."},
    )


class PageQuerySchema(PreviewQuerySchema):
    """Parameters of every list."""

    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1. A page past the last is empty."},
    )
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": "Items per page."},
    )


class SearchableQuerySchema(PageQuerySchema):
    """Parameters of a list that can be searched: ``q``, and ``sort`` by relevance with it."""

    DEFAULT_SORT = ""  # the order without ``q``

    q = SearchQueryParam()

    @validates_schema
    def _relevance_needs_a_query(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("sort") == RELEVANCE and data.get("q") is None:
            raise ValidationError("`relevance` needs a search query `q`.", "sort")

    @post_load
    def _default_sort(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        data.setdefault("sort", RELEVANCE if data.get("q") is not None else self.DEFAULT_SORT)
        return data


class PostListQuerySchema(SearchableQuerySchema):
    """Filters, search, order and bodies of a post list."""

    DEFAULT_SORT = "-created"

    author = fields.List(
        SlugParam(),
        load_default=list,
        metadata={"description": "Author slug; repeat for posts by any of them."},
    )
    keyword = fields.List(
        SlugParam(),
        load_default=list,
        metadata={"description": "Keyword slug; repeat for posts with all of them."},
    )
    created_from = DateParam(
        description="Created at or after: a date or a date-time (site time zone if no offset)."
    )
    created_to = DateParam(
        description="Created at or before: a date (that whole day) or a date-time (site time "
        "zone if no offset)."
    )
    sort = fields.String(
        validate=validate.OneOf(POST_SORTS),
        metadata={
            "description": "Order; `-` is descending, ties are broken by slug. Default: "
            "`relevance` (best match first) with `q`, which it needs, else `-created`."
        },
    )
    include = fields.List(
        fields.String(validate=validate.OneOf(BODY_FIELDS)),
        load_default=list,
        metadata={"description": "Add a body to each item; repeat for several."},
    )


class AuthorListQuerySchema(PageQuerySchema):
    """Order of an author list."""

    sort = fields.String(load_default="name", validate=validate.OneOf(TERM_SORTS))


class KeywordListQuerySchema(PageQuerySchema):
    """Order of a keyword list."""

    sort = fields.String(load_default="-post_count", validate=validate.OneOf(TERM_SORTS))


class PageListQuerySchema(SearchableQuerySchema):
    """Filter, search and order of a page list."""

    DEFAULT_SORT = NAVIGATION

    section = SlugParam(metadata={"description": "Only the pages of this section id."})
    sort = fields.String(
        validate=validate.OneOf(PAGE_SORTS),
        metadata={
            "description": "Order. `navigation`: pages outside any section first, then by "
            "section, `sort`, title. Default: `relevance` (best match first) with `q`, which "
            "it needs, else `navigation`."
        },
    )


class SearchQuerySchema(PageQuerySchema):
    """The query and kinds of a site search."""

    q = SearchQueryParam(required=True)
    kind = fields.List(
        fields.String(validate=validate.OneOf(KINDS)),
        load_default=list,
        metadata={"description": "Only posts or only pages; repeat for several. Default: both."},
    )


# --- documents ----------------------------------------------------------------------------


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "`about:blank`."})
    title = fields.String(required=True, metadata={"description": "The HTTP status phrase."})
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Invalid input: messages by parameter name."},
    )


class HealthSchema(Schema):
    """The service's state."""

    status = fields.String(required=True, metadata={"description": "`ok`."})
    database = fields.String(required=True, metadata={"description": "The database's state."})


class PaginationSchema(Schema):
    """Where a page sits in its list."""

    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "Items in the whole list."})
    total_pages = fields.Integer(required=True)
    next_page = fields.Integer(required=True, allow_none=True)
    previous_page = fields.Integer(required=True, allow_none=True)


class TermRefSchema(Schema):
    """An author or keyword as embedded in a post."""

    slug = fields.String(required=True)
    name = fields.String(required=True)


class TocEntrySchema(Schema):
    """A heading of a document, with the headings under it."""

    level = fields.Integer(required=True)
    id = fields.String(required=True)
    title = fields.String(required=True)
    children = fields.List(fields.Nested(lambda: TocEntrySchema()), required=True)


class PostRefSchema(Schema):
    """A neighbouring post."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    created = SiteDateTime(required=True)
    url = ResourceUrl("posts.get_post")


class _DocumentSchema(Schema):
    """Fields posts and pages share."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    excerpt = fields.String(required=True)
    language = fields.String(required=True)
    draft = fields.Boolean(required=True, metadata={"description": "Always false but in preview."})
    created = SiteDateTime(required=True, allow_none=True)
    modified = SiteDateTime(required=True, allow_none=True)
    word_count = fields.Integer(required=True)
    reading_time_minutes = fields.Integer(required=True)
    extra = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Front-matter keys without a field of their own."},
    )


class PostSummarySchema(_DocumentSchema):
    """A post in a list."""

    created = SiteDateTime(required=True)
    author = FirstOf(
        TermRefSchema,
        source="authors",
        required=True,
        allow_none=True,
        metadata={"description": "The first author."},
    )
    authors = fields.List(fields.Nested(TermRefSchema), required=True)
    keywords = fields.List(fields.Nested(TermRefSchema), required=True)
    url = ResourceUrl("posts.get_post")
    html = LoadedText(metadata={"description": "With `include=html`."})
    markdown = LoadedText(metadata={"description": "With `include=markdown`."})
    text = LoadedText(metadata={"description": "With `include=text`."})
    snippet = snippet_field()


class PostSchema(PostSummarySchema):
    """A post with its body, table of contents and neighbours."""

    class Meta:
        exclude = ("text", "snippet")

    html = fields.String(required=True, metadata={"description": "Sanitized HTML."})
    markdown = fields.String(required=True, metadata={"description": "The body as written."})
    toc = fields.List(fields.Nested(TocEntrySchema), required=True)
    components = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "Live components (post lists, tables of contents) as data."},
    )
    previous = fields.Nested(
        PostRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The post created just before."},
    )
    next = fields.Nested(
        PostRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The post created just after."},
    )


class PageSummarySchema(_DocumentSchema):
    """A page in a list."""

    section = fields.String(required=True, allow_none=True, attribute="section_id")
    sort = fields.Integer(required=True)
    url = ResourceUrl("pages.get_page")
    snippet = snippet_field()


class PageSchema(PageSummarySchema):
    """A page with its body and table of contents."""

    class Meta:
        exclude = ("snippet",)

    html = fields.String(required=True, metadata={"description": "Sanitized HTML."})
    markdown = fields.String(required=True, metadata={"description": "The body as written."})
    toc = fields.List(fields.Nested(TocEntrySchema), required=True)
    components = fields.List(fields.Dict(), required=True)


class _TermSchema(Schema):
    """Fields authors and keywords share."""

    slug = fields.String(required=True)
    name = fields.String(required=True)
    post_count = fields.Integer(required=True, metadata={"description": "Published posts."})
    latest_post = SiteDateTime(required=True, metadata={"description": "Its newest post's time."})


class AuthorSchema(_TermSchema):
    """An author with their post count."""

    url = ResourceUrl("authors.get_author")


class KeywordSchema(_TermSchema):
    """A keyword with its post count."""

    url = ResourceUrl("keywords.get_keyword")


class RelatedKeywordSchema(Schema):
    """A keyword that appears on the same posts."""

    slug = fields.String(required=True)
    name = fields.String(required=True)
    shared_post_count = fields.Integer(required=True, metadata={"description": "Posts with both."})
    url = ResourceUrl("keywords.get_keyword")


class AuthorDetailSchema(AuthorSchema):
    """An author."""

    posts_url = fields.String(required=True, metadata={"description": "Their posts."})


class KeywordDetailSchema(KeywordSchema):
    """A keyword and the keywords most often beside it."""

    posts_url = fields.String(required=True, metadata={"description": "Posts with it."})
    related = fields.List(fields.Nested(RelatedKeywordSchema), required=True)


class SiteSchema(Schema):
    """A site and how much it holds."""

    slug = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    language = fields.String(required=True)
    timezone = fields.String(required=True, metadata={"description": "IANA time zone name."})
    post_count = fields.Integer(required=True)
    page_count = fields.Integer(required=True)
    author_count = fields.Integer(required=True)
    keyword_count = fields.Integer(required=True)
    last_import = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "In the site's time zone."}
    )
    url = ResourceUrl("sites.get_site", site_level=True)


class SearchHitSchema(Schema):
    """A post or page matching a search."""

    kind = fields.String(
        required=True, validate=validate.OneOf(KINDS), metadata={"description": "`post` or `page`."}
    )
    slug = fields.String(required=True)
    title = fields.String(required=True)
    snippet = fields.String(
        required=True,
        metadata={
            "description": "A passage of the body as HTML: the matched words in `<mark>`, every "
            "other character escaped, no other markup."
        },
    )
    created = SiteDateTime(
        required=True, allow_none=True, metadata={"description": "A post's; null for a page."}
    )
    url = DocumentUrl()


def list_schema(item: type[Schema], name: str) -> type[Schema]:
    """The schema of a page of ``item``: ``{items, pagination}``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
        },
        name=name,
    )


SiteListSchema = list_schema(SiteSchema, "SiteList")
PostListSchema = list_schema(PostSummarySchema, "PostList")
AuthorListSchema = list_schema(AuthorSchema, "AuthorList")
KeywordListSchema = list_schema(KeywordSchema, "KeywordList")
PageListSchema = list_schema(PageSummarySchema, "PageList")
SearchResultsSchema = list_schema(SearchHitSchema, "SearchResults")
