"""mdcms components: fenced ``mdcms`` blocks become semantic HTML or live placeholders."""

from __future__ import annotations

import html
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml
from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from mdcms_api.content.rendering.state import DocumentState

_FENCE_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})[ \t]*mdcms(?:[ \t]+(?P<rest>.*))?$")
_OPTION = re.compile(r"^(?P<key>[A-Za-z][\w-]*)[ \t]*:[ \t]*(?P<value>.*)$")
_NAME = re.compile(r"[a-z][a-z0-9-]*")

_CALLOUTS = frozenset({"callout-info", "callout-warning", "callout-success", "callout-error"})
_TABS = frozenset({"tab", "tab-underline", "tab-filled"})
_ACCORDIONS = frozenset({"accordion", "accordion-underline", "accordion-filled"})
_LIVE = re.compile(
    r"toc|toc-section|toc-page"
    r"|posts-created-(?:chronological|reversechronological)(?:-byyear|-byyearmonth|-lastyear|-lastmonth)?"
)
MAX_ITEMS = 100


@dataclass
class _Block:
    """A parsed ``mdcms`` fence: name, positional arguments, options and body lines."""

    name: str
    args: list[str]
    options: dict[str, object]
    body: list[str] = field(default_factory=list)


def _scalar(value: str) -> object:
    """Read an option value as YAML so `limit: 5` is a number; fall back to the text."""
    try:
        loaded = yaml.safe_load(value) if value else ""
    except yaml.YAMLError:
        return value
    if isinstance(loaded, date | datetime):
        return loaded.isoformat()
    return loaded if isinstance(loaded, str | int | float | bool) or loaded is None else value


def _parse_block(header: str, lines: list[str]) -> _Block | None:
    """Split a fence's content into name, options and body; None when it has no name."""
    words = header.split()
    rest = list(lines)
    if not words:
        while rest and not rest[0].strip():
            rest.pop(0)
        if not rest:
            return None
        words = rest.pop(0).split()
    options: dict[str, object] = {}
    while rest and (match := _OPTION.match(rest[0].strip())) and match["key"] != "items":
        options[match["key"]] = _scalar(match["value"].strip())
        rest.pop(0)
    return _Block(name=words[0].lower(), args=words[1:], options=options, body=rest)


def _fences(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, header) of each top-level ``mdcms`` fence.

    ``lines[start + 1 : end]`` is its content and ``end`` its closing line; an unclosed fence
    runs to the end of the document, as in CommonMark.
    """
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        fence = match["fence"]
        closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((j for j in range(i + 1, len(lines)) if closer.match(lines[j])), len(lines))
        yield i, end, match["rest"] or ""
        i = end + 1


def _title(text: object) -> str:
    return html.escape(str(text)) if text not in (None, "") else ""


class _ComponentPreprocessor(Preprocessor):
    """Replaces ``mdcms`` fences with HTML that md_in_html and the stash carry through."""

    def __init__(self, md: Markdown, state: DocumentState, toc_marker: str) -> None:
        super().__init__(md)
        self.state = state
        self.toc_marker = toc_marker

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        last = 0
        for start, end, header in _fences(lines):
            out.extend(lines[last:start])
            out.extend(["", *self._render(header, lines[start + 1 : end]), ""])
            last = end + 1
        out.extend(lines[last:])
        return out

    def _render(self, header: str, inner: list[str]) -> list[str]:
        block = _parse_block(header, inner)
        if block is None:
            self.state.warn("mdcms component without a name")
            return [self._code_block(header, inner)]
        if block.name in _CALLOUTS:
            return self._callout(block)
        if block.name in _TABS or block.name in _ACCORDIONS:
            items = self._load_items(block)
            return self._items(block, items) if items else [self._code_block(header, inner)]
        if _LIVE.fullmatch(block.name):
            return [self._live(block)]
        self.state.warn(f"unknown mdcms component {block.name!r}")
        return [self._placeholder(block.name if _NAME.fullmatch(block.name) else "unknown", {})]

    def _callout(self, block: _Block) -> list[str]:
        kind = block.name.removeprefix("callout-")
        classes = f"callout callout-{kind}"
        icon = str(block.options.get("icon") or "")
        if _NAME.fullmatch(icon):
            classes += f" callout-icon-{icon}"
        lines = [f'<aside class="{classes}" role="note" markdown="1">']
        if title := _title(block.options.get("title")):
            lines.append(f'<p class="callout-title"><strong>{title}</strong></p>')
        lines.append("")
        message = block.options.get("message")
        if message not in (None, ""):
            text = self.state.settings.callouts.get(str(message))
            if text is None:
                self.state.warn(f"unknown callout message {message!r}")
            else:
                lines.extend([*str(text).splitlines(), ""])
        return [*lines, *block.body, "", "</aside>"]

    def _code_block(self, header: str, inner: list[str]) -> str:
        """Show a block that cannot be a component as the code the writer wrote."""
        source = "\n".join([header, *inner] if header else inner)
        return self.md.htmlStash.store(
            f'<pre><code class="language-mdcms">{html.escape(source, quote=False)}</code></pre>'
        )

    def _items(self, block: _Block, items: list[dict]) -> list[str]:
        is_tabs = block.name in _TABS
        family, _, variant = block.name.partition("-")
        family = "tabs" if is_tabs else "accordion"
        classes = family + (f" {family}-{variant}" if variant else "")
        defaults = [bool(item.get("default")) for item in items]
        if is_tabs and not any(defaults):
            # Without JavaScript a tab set still shows its first tab, as a tab bar would.
            defaults[0] = True
        lines = [f'<div class="{classes}" markdown="1">']
        for item, is_open in zip(items, defaults, strict=True):
            item_class = "tab" if is_tabs else "accordion-item"
            attributes = f'class="{item_class}"' + (" open" if is_open else "")
            lines += [
                f'<details {attributes} markdown="1">',
                f"<summary>{_title(item.get('title')) or 'Untitled'}</summary>",
                "",
                *str(item.get("content") or "").splitlines(),
                "",
                "</details>",
            ]
        return [*lines, "</div>"]

    def _load_items(self, block: _Block) -> list[dict] | None:
        """Return the YAML ``items:`` list, or None (with a warning) when it is unusable."""
        source = "\n".join(block.body)
        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 1} of the block)" if mark else ""
            self.state.warn(f"{block.name}: invalid YAML{where}; shown as code")
            return None
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            self.state.warn(f"{block.name}: expected a YAML list of items:; shown as code")
            return None
        # YAML aliases can repeat one long text thousands of times: refuse what expands.
        size = sum(len(str(i.get("content") or "")) + len(str(i.get("title"))) for i in items)
        if len(items) > MAX_ITEMS or size > len(source):
            self.state.warn(f"{block.name}: too many or repeated items; shown as code")
            return None
        return items

    def _live(self, block: _Block) -> str:
        options = dict(block.options)
        if block.name == "toc-section" and block.args:
            options.setdefault("section", block.args[0])
        self.state.components.append(
            {"name": block.name, "options": options, "position": len(self.state.components)}
        )
        inner = self.toc_marker if block.name == "toc-page" else ""
        return self._placeholder(block.name, options, inner)

    def _placeholder(self, name: str, options: dict[str, object], inner: str = "") -> str:
        encoded = html.escape(json.dumps(options, ensure_ascii=False, sort_keys=True), quote=True)
        element = (
            f'<div class="mdcms-component" data-mdcms-component="{html.escape(name, quote=True)}"'
            f' data-mdcms-options="{encoded}">{inner}</div>'
        )
        return self.md.htmlStash.store(element)


def toc_nav(tokens: list[dict]) -> str:
    """Return a nested ``<nav class="toc">`` for Python-Markdown's ``toc_tokens``."""
    return f'<nav class="toc">{_toc_list(tokens)}</nav>' if tokens else ""


def _toc_list(tokens: list[dict]) -> str:
    entries = "".join(
        f'<li><a href="#{html.escape(t["id"], quote=True)}">{t["name"]}</a>'
        f"{_toc_list(t['children']) if t['children'] else ''}</li>"
        for t in tokens
    )
    return f"<ul>{entries}</ul>"


class _TocPagePostprocessor(Postprocessor):
    """Fills ``toc-page`` placeholders from the headings, known only after the tree is built."""

    def __init__(self, md: Markdown, toc_marker: str) -> None:
        super().__init__(md)
        self.toc_marker = toc_marker

    def run(self, text: str) -> str:
        if self.toc_marker not in text:
            return text
        return text.replace(self.toc_marker, toc_nav(getattr(self.md, "toc_tokens", [])))


class ComponentExtension(Extension):
    """Registers the ``mdcms`` fence preprocessor and the ``toc-page`` filler."""

    def __init__(self, state: DocumentState) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: Markdown) -> None:
        # A random marker: text from a document cannot forge a toc-page slot.
        marker = f"mdcms-toc-page-{secrets.token_hex(8)}"
        # After whitespace normalizing (30), before superfences takes fenced blocks (25).
        md.preprocessors.register(_ComponentPreprocessor(md, self.state, marker), "mdcms", 28)
        # After the stash is restored (raw_html, 30).
        md.postprocessors.register(_TocPagePostprocessor(md, marker), "mdcms-toc-page", 5)
