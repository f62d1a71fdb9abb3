"""A Python client generated from openapi.yaml by openapi-python-client, used over real HTTP."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[2]
OPENAPI = REPOSITORY / "openapi.yaml"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "mdcms_generated_client"
# As the README's generator config: getAsset answers any media type (`*/*` in the spec), which
# openapi-python-client reads as bytes only when told to. Its post hooks only run `ruff` to tidy
# the generated files (and warn when ruff is not on PATH): the files are thrown away after the
# test, so the hooks are switched off here.
GENERATOR_CONFIG = """\
content_type_overrides:
  "*/*": application/octet-stream
post_hooks: []
"""


class Generated:
    """The generated package's modules the tests use."""

    def __init__(self, package: ModuleType) -> None:
        def load(name: str) -> ModuleType:
            return importlib.import_module(f"{package.__name__}.{name}")

        self.package = package
        self.models = load("models")
        self.types = load("types")
        self.list_posts = load("api.posts.list_posts")
        self.get_post = load("api.posts.get_post")
        self.list_authors = load("api.authors.list_authors")
        self.list_keywords = load("api.keywords.list_keywords")
        self.get_site = load("api.sites.get_site")
        self.get_asset = load("api.assets.get_asset")
        self.search_site = load("api.search.search_site")

    def client(self, base_url: str) -> Any:
        return self.package.Client(base_url=base_url, raise_on_unexpected_status=True)


@pytest.fixture
def live_api(serve_sites: Callable[..., str]) -> str:
    """The API over real HTTP (werkzeug, on a free port) with the techblog sample site."""
    return serve_sites("techblog")


@pytest.fixture(scope="session")
def generation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Generate the client once per session: the folder that holds the package, and the output."""
    if not GENERATOR.exists():
        pytest.fail(f"{GENERATOR} is missing: install the dev extra (pip install -e '.[dev]')")
    root = tmp_path_factory.mktemp("generated")
    config = root / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(OPENAPI),
            "--meta",
            "none",
            "--output-path",
            str(root / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return root, output


@pytest.fixture(scope="session")
def generated(generation: tuple[Path, str]) -> Iterator[Generated]:
    """The generated package, imported from its folder (faster than a pip install)."""
    root, _ = generation
    sys.path.insert(0, str(root))
    try:
        yield Generated(importlib.import_module(PACKAGE))
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_generation_prints_no_warning(generation: tuple[Path, str]) -> None:
    _, output = generation
    lines = [line for line in output.splitlines() if line.strip()]
    # One line, "Generating <folder>"; a spec problem adds "Warning(s) encountered ..." and more.
    assert len(lines) == 1, f"the generator said more than that it was generating:\n{output}"
    assert lines[0].startswith("Generating "), output
    assert "warning" not in output.lower()


def _python_name(model: type, name: str) -> str:
    """The attribute the generator made of a JSON property (``type`` becomes ``type_``)."""
    names = {field.name for field in attrs.fields(model)}
    for candidate in (name, f"{name}_"):
        if candidate in names:
            return candidate
    raise AssertionError(f"{model.__name__} has no attribute for {name!r}: {sorted(names)}")


def test_required_fields_are_never_optional_in_the_models(generated: Generated) -> None:
    schemas = yaml.safe_load(OPENAPI.read_text())["components"]["schemas"]
    checked = 0
    for schema_name, schema in schemas.items():
        model = getattr(generated.models, schema_name, None)
        if model is None or not attrs.has(model):
            continue
        fields = attrs.fields_dict(model)
        for name in schema.get("properties", {}):
            field = fields[_python_name(model, name)]
            annotation = str(field.type)
            if name in schema.get("required", []):
                assert "Unset" not in annotation, f"{schema_name}.{name}: {annotation}"
                assert field.default is attrs.NOTHING, f"{schema_name}.{name} has a default"
                checked += 1
            else:
                assert "Unset" in annotation, f"{schema_name}.{name}: {annotation}"
    assert checked > 100  # every document schema was seen

    summary = attrs.fields_dict(generated.models.PostSummary)
    for name in ("slug", "title", "created", "url", "authors", "keywords"):
        assert "Unset" not in str(summary[name].type), name
    assert str(summary["created"].type) == "datetime.datetime"
    assert "Unset" in str(summary["html"].type)  # only with include=html


def test_filters_by_author_and_keyword(live_api: str, generated: Generated) -> None:
    with generated.client(live_api) as client:
        authors = generated.list_authors.sync(site="techblog", client=client, page_size=100)
        assert isinstance(authors, generated.models.AuthorList)
        assert len(authors.items) == authors.pagination.total >= 2
        for author in authors.items:
            posts = generated.list_posts.sync(
                site="techblog", client=client, author=[author.slug], page_size=100
            )
            assert isinstance(posts, generated.models.PostList)
            assert posts.pagination.total == author.post_count == len(posts.items)
            for post in posts.items:
                assert author.slug in [ref.slug for ref in post.authors]

        keywords = generated.list_keywords.sync(site="techblog", client=client, page_size=100)
        top = keywords.items[0]  # most posts first
        posts = generated.list_posts.sync(
            site="techblog", client=client, keyword=[top.slug], page_size=100
        )
        assert posts.pagination.total == top.post_count == len(posts.items) > 1
        assert all(top.slug in [ref.slug for ref in post.keywords] for post in posts.items)

        # Both filters at once: the posts of the first author that carry the top keyword.
        author = authors.items[0].slug
        both = generated.list_posts.sync(
            site="techblog", client=client, author=[author], keyword=[top.slug], page_size=100
        )
        expected = [post.slug for post in posts.items if author in [a.slug for a in post.authors]]
        assert [post.slug for post in both.items] == expected


def test_pages_through_every_post(live_api: str, generated: Generated) -> None:
    with generated.client(live_api) as client:
        site = generated.get_site.sync(site="techblog", client=client)
        assert isinstance(site, generated.models.Site)
        seen: list[Any] = []
        page: int | None = 1
        pages = 0
        while page is not None:
            response = generated.list_posts.sync_detailed(
                site="techblog", client=client, page=page, page_size=5
            )
            assert response.status_code == 200
            assert "etag" in response.headers
            body = response.parsed
            assert body.pagination.page == page
            assert body.pagination.total == site.post_count
            seen.extend(body.items)
            page = body.pagination.next_page
            pages += 1
        assert pages == -(-site.post_count // 5)
        assert len({post.slug for post in seen}) == len(seen) == site.post_count
        created = [post.created for post in seen]
        assert created == sorted(created, reverse=True)  # newest first, across pages


def test_fetches_one_post(live_api: str, generated: Generated) -> None:
    with generated.client(live_api) as client:
        newest = generated.list_posts.sync(site="techblog", client=client, page_size=2).items
        post = generated.get_post.sync(site="techblog", slug=newest[1].slug, client=client)
        assert isinstance(post, generated.models.Post)
        assert post.slug == newest[1].slug
        assert post.title == newest[1].title
        assert post.html.strip().startswith("<")
        assert post.markdown
        assert all(isinstance(entry, generated.models.TocEntry) for entry in post.toc)
        assert isinstance(post.next_, generated.models.PostRef)  # `next` is a builtin
        assert post.next_.slug == newest[0].slug  # the post created just after
        assert post.url.startswith(live_api)


def test_a_missing_post_is_a_typed_problem(live_api: str, generated: Generated) -> None:
    with generated.client(live_api) as client:
        response = generated.get_post.sync_detailed(
            site="techblog", slug="no-such-post", client=client
        )
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.parsed
        assert isinstance(problem, generated.models.Problem)
        assert problem.status == 404
        assert problem.title == "Not Found"
        assert "no-such-post" in problem.detail
        assert isinstance(problem.errors, generated.types.Unset)

        missing_site = generated.get_site.sync(site="no-such-site", client=client)
        assert isinstance(missing_site, generated.models.Problem)
        assert missing_site.status == 404


def test_downloads_an_asset(
    serve_sites: Callable[..., str], sample_sites: Path, generated: Generated
) -> None:
    api = serve_sites("handbook")
    path = "images/seasons-gradient.png"
    with generated.client(api) as client:
        response = generated.get_asset.sync_detailed(site="handbook", path=path, client=client)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert isinstance(response.parsed, generated.types.File)
        assert (
            response.parsed.payload.read() == (sample_sites / "handbook/assets" / path).read_bytes()
        )

        missing = generated.get_asset.sync(site="handbook", path="images/none.png", client=client)
        assert isinstance(missing, generated.models.Problem)
        assert missing.status == 404


def test_searches(live_api: str, generated: Generated) -> None:
    with generated.client(live_api) as client:
        results = generated.search_site.sync(site="techblog", q="sqlite", client=client)
        assert isinstance(results, generated.models.SearchResults)
        assert results.pagination.total == len(results.items) > 1
        for hit in results.items:
            assert hit.kind == generated.models.SearchHitKind.POST  # techblog has no pages
            assert hit.snippet  # a passage of the body
        assert any("<mark>" in hit.snippet for hit in results.items)

        # q on the post list: the same posts, as summaries with a snippet, filters still apply.
        posts = generated.list_posts.sync(site="techblog", q="sqlite", client=client, page_size=100)
        assert {post.slug for post in posts.items} == {hit.slug for hit in results.items}
        assert all(isinstance(post.snippet, str) for post in posts.items)

        bad = generated.search_site.sync(site="techblog", q="-spam", client=client)
        assert isinstance(bad, generated.models.Problem)
        assert bad.status == 400
        assert "q" in bad.errors.additional_properties
