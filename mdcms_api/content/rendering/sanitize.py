"""Sanitizing rendered HTML with nh3: an allow-list of tags, attributes, classes and schemes."""

from __future__ import annotations

import re

import nh3

# Content ids are prefixed so a heading called "location" or "forms" cannot clobber
# window.location or document.forms in a frontend; same-page fragments get the same prefix.
ID_PREFIX = "h-"

_TAGS = (set(nh3.ALLOWED_TAGS) - {"map", "area"}) | {"input", "section"}

_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()
}
_ATTRIBUTES["*"] = {"class", "title", "lang", "dir"}
_ATTRIBUTES["a"] = {"href", "hreflang", "data-mdcms-kind", "data-mdcms-slug"}
_ATTRIBUTES["img"] = {"src", "alt", "width", "height"}
_ATTRIBUTES["div"] = {"data-mdcms-component", "data-mdcms-options"}
_ATTRIBUTES["input"] = {"checked"}
_ATTRIBUTES["details"] = {"open"}
_ATTRIBUTES["abbr"] = {"title"}
for _tag in ("h1", "h2", "h3", "h4", "h5", "h6", "sup", "li", "section", "summary"):
    _ATTRIBUTES.setdefault(_tag, set()).add("id")

_TAG_ATTRIBUTE_VALUES = {"aside": {"role": {"note"}}}

# Any input that survives is the inert task-list checkbox.
_FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": ""}}

_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_ALLOWED_CLASS = re.compile(
    r"(?:language-[\w#+.-]+|callout(?:-[\w-]+)?|tabs?(?:-[\w-]+)?|accordion(?:-[\w-]+)?"
    r"|task-list(?:-[\w-]+)?"
    r"|footnote(?:-[\w-]+)?|mdcms-[\w-]+|toc)",
    re.ASCII,
)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [c for c in value.split() if _ALLOWED_CLASS.fullmatch(c)]
        return " ".join(kept) or None
    if attribute == "id":
        return ID_PREFIX + value if value else None
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + ID_PREFIX + value[1:]
    return value


_cleaner = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    tag_attribute_values=_TAG_ATTRIBUTE_VALUES,
    set_tag_attribute_values=_FORCED_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


# nh3 adds forced attributes in a per-process random order (a Rust hash map), so the same
# checkbox would be stored differently by each worker. Its attribute values never hold '"'.
_INPUT_TAG = re.compile(r'<input((?: [\w-]+="[^"]*")*)>')
_INPUT_ATTRIBUTE = re.compile(r' [\w-]+="[^"]*"')


def _attributes_in_order(match: re.Match[str]) -> str:
    return "<input" + "".join(sorted(_INPUT_ATTRIBUTE.findall(match.group(1)))) + ">"


def sanitize(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed, byte-for-byte stable."""
    cleaned = _cleaner.clean(html)
    return _INPUT_TAG.sub(_attributes_in_order, cleaned) if "<input" in cleaned else cleaned
