"""Links and images written as site paths resolve to document and asset URLs."""

from __future__ import annotations

import pytest

from mdcms_api.content.render import RenderSettings, SiteIndex, render_document

INDEX = SiteIndex(
    documents={
        "pages/about.md": ("page", "about"),
        "pages/docs/install.md": ("page", "install"),
        "posts/2024-10-03-x.md": ("post", "x"),
    },
    assets=frozenset({"assets/images/hero.jpg", "assets/files/my report.pdf"}),
)


def render(body: str, path: str = "posts/2024-01-01-a.md", settings: RenderSettings | None = None):
    settings = settings or RenderSettings(site="demo")
    return render_document(body, path=path, description=None, settings=settings, index=INDEX)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("posts/2024-01-01-a.md", "pages/about.md"),
        ("posts/2024-01-01-a.md", "/pages/about.md"),
        ("posts/2024-01-01-a.md", "../pages/about.md"),
        ("pages/docs/install.md", "../about.md"),
        ("pages/contact.md", "about.md"),
        ("pages/contact.md", "./about.md"),
    ],
)
def test_document_link_forms_resolve(path, target):
    html = render(f"[About]({target})", path=path).html
    assert html == (
        '<p><a data-mdcms-kind="page" data-mdcms-slug="about" href="/api/v1/sites/demo/pages/about"'
        ' rel="noopener noreferrer">About</a></p>'
    )


def test_post_link_with_fragment_keeps_the_prefixed_fragment():
    rendered = render("[x](posts/2024-10-03-x.md#setup-steps)")
    assert 'href="/api/v1/sites/demo/posts/x#h-setup-steps"' in rendered.html
    assert 'data-mdcms-kind="post" data-mdcms-slug="x"' in rendered.html
    assert rendered.warnings == []


def test_link_pattern_is_configurable():
    settings = RenderSettings(site="demo", link_pattern="https://www.example.com/{kind}/{slug}/")
    html = render("[x](posts/2024-10-03-x.md)", settings=settings).html
    assert 'href="https://www.example.com/post/x/"' in html


def test_missing_document_warns_and_keeps_the_href():
    rendered = render("[Nope](pages/nope.md)")
    assert rendered.warnings == ["link to missing document pages/nope.md"]
    assert '<a href="pages/nope.md" rel="noopener noreferrer">Nope</a>' in rendered.html
    assert "data-mdcms" not in rendered.html


def test_relative_missing_document_names_the_resolved_path():
    rendered = render("[x](../pages/gone.md)")
    assert rendered.warnings == ["link to missing document pages/gone.md"]


def test_absolute_urls_mailto_and_fragments_are_untouched():
    html = render(
        "[a](https://example.com/pages/about.md) [b](mailto:me@example.com) [c](#top)"
    ).html
    assert 'href="https://example.com/pages/about.md"' in html
    assert 'href="mailto:me@example.com"' in html
    assert 'href="#h-top"' in html
    assert "data-mdcms" not in html


def test_image_from_site_root_and_relative():
    for source in (
        "assets/images/hero.jpg",
        "../assets/images/hero.jpg",
        "/assets/images/hero.jpg",
    ):
        html = render(f"![Hero]({source})").html
        assert html == '<p><img alt="Hero" src="/api/v1/sites/demo/assets/images/hero.jpg"></p>'


def test_asset_base_url_can_be_absolute():
    settings = RenderSettings(site="demo", asset_base_url="https://cdn.example/s/{site}/a/")
    html = render("![Hero](assets/images/hero.jpg)", settings=settings).html
    assert 'src="https://cdn.example/s/demo/a/images/hero.jpg"' in html


def test_link_to_an_asset_is_url_quoted():
    html = render("[report](assets/files/my%20report.pdf)").html
    assert 'href="/api/v1/sites/demo/assets/files/my%20report.pdf"' in html


def test_missing_asset_warns_and_keeps_the_src():
    rendered = render("![x](assets/images/x.png)")
    assert rendered.warnings == ["missing asset assets/images/x.png"]
    assert 'src="assets/images/x.png"' in rendered.html


def test_path_escaping_the_site_is_not_an_asset():
    rendered = render("![x](../../etc/passwd)")
    assert 'src="../../etc/passwd"' in rendered.html
    assert rendered.warnings == []


def test_links_in_footnotes_and_reference_links_resolve():
    html = render(
        "See^[the [about page](pages/about.md)] and [ref].\n\n[ref]: posts/2024-10-03-x.md"
    ).html
    assert html.count('data-mdcms-kind="page"') == 1
    assert html.count('data-mdcms-kind="post"') == 1


def test_warnings_are_not_repeated():
    rendered = render("[a](pages/nope.md) [b](pages/nope.md)")
    assert rendered.warnings == ["link to missing document pages/nope.md"]
