"""Render a document's markdown body into sanitized HTML and the fields derived from it."""

from __future__ import annotations

from mdcms_api.content.errors import ContentError
from mdcms_api.content.rendering.derived import (
    excerpt,
    extract_text,
    reading_time,
    toc_from_tokens,
)
from mdcms_api.content.rendering.limits import check_limits
from mdcms_api.content.rendering.markdown_setup import converter
from mdcms_api.content.rendering.model import (
    RENDERER_VERSION,
    Rendered,
    RenderSettings,
    SiteIndex,
)
from mdcms_api.content.rendering.sanitize import sanitize

__all__ = ["RENDERER_VERSION", "RenderSettings", "Rendered", "SiteIndex", "render_document"]


def render_document(
    body: str,
    *,
    path: str,
    description: str | None,
    settings: RenderSettings,
    index: SiteIndex,
) -> Rendered:
    """Render one document's markdown body; raise ContentError if it cannot be rendered."""
    try:
        check_limits(body)
    except ContentError as error:
        raise error.at(path) from None
    conv = converter()
    conv.md.reset()
    conv.state.begin(path, settings, index)
    try:
        raw_html = conv.md.convert(body)
    except RecursionError:
        raise ContentError("markdown nested too deeply to render", path=path) from None
    finally:
        toc_tokens = getattr(conv.md, "toc_tokens", [])
        state_warnings, components = conv.state.warnings, conv.state.components
        link_targets = sorted(conv.state.link_targets)
        conv.md.reset()
    html = sanitize(raw_html)
    text, first_paragraph = extract_text(html)
    words = len(text.split())
    return Rendered(
        html=html,
        text=text,
        toc=toc_from_tokens(toc_tokens),
        excerpt=excerpt(description, first_paragraph, text),
        word_count=words,
        reading_time_minutes=reading_time(words),
        components=components,
        warnings=state_warnings,
        link_targets=link_targets,
    )
