"""Spec-driven tests: schemathesis sends generated requests from openapi.yaml to the live app."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.schemas import BaseSchema

from mdcms_api.storage.search import QueryError, parse_query
from tests.servers import serve_wsgi

REPOSITORY = Path(__file__).resolve().parents[2]
SAMPLE_SITES = REPOSITORY / "sample-sites"
SPEC_PATH = REPOSITORY / "openapi.yaml"
PREVIEW_TOKEN = "spec-test-preview-token"
IDENTITY = {"Accept-Encoding": "identity"}

# MDCMS_LONG_TESTS=1 is the nightly-style run: at least 100 generated requests per operation.
LONG = os.environ.get("MDCMS_LONG_TESTS") == "1"
EXAMPLES = 100 if LONG else 25
HTTP_EXAMPLES = 100 if LONG else 5
DETAIL_OPERATIONS = {
    "posts": "getPost",
    "authors": "getAuthor",
    "keywords": "getKeyword",
    "pages": "getPage",
}


def all_checks() -> list[Any]:
    """Every check schemathesis has, as `--checks all` would run them."""
    load_all_checks()
    return list(CHECKS.get_all())


def real_parameters(client: FlaskClient) -> dict[str, list[dict[str, Any]]]:
    """Per operationId, path parameters naming real sites, documents, terms and asset files.

    Drafts are among them (listed with the preview token): their URLs are real and must 404.
    """
    auth = {"Authorization": f"Bearer {PREVIEW_TOKEN}"}

    def items(url: str) -> list[dict[str, Any]]:
        return client.get(url, headers=auth).get_json()["items"]

    real: dict[str, list[dict[str, Any]]] = {}
    for site in items("/api/v1/sites?page_size=100"):
        slug = site["slug"]
        for operation in (
            "getSite",
            "listPosts",
            "listAuthors",
            "listKeywords",
            "listPages",
            "searchSite",
        ):
            real.setdefault(operation, []).append({"site": slug})
        for kind, operation in DETAIL_OPERATIONS.items():
            listed = items(f"/api/v1/sites/{slug}/{kind}?page_size=100&preview=true")
            real.setdefault(operation, []).extend(
                {"site": slug, "slug": item["slug"]} for item in listed
            )
    for folder in sorted(SAMPLE_SITES.iterdir()):
        assets = folder / "assets"
        real.setdefault("getAsset", []).extend(
            {"site": folder.name, "path": path.relative_to(assets).as_posix()}
            for path in sorted(assets.rglob("*"))
            if path.is_file()
        )
    return real


def often_real(real: dict[str, list[dict[str, Any]]]) -> Callable[[Any, Any], Any]:
    """A `flatmap_case` hook: about half the cases name real data, some of those in preview."""

    def flatmap_case(_context: Any, case: Any) -> Any:
        choices = real.get(case.operation.definition.raw.get("operationId", ""))
        if not choices:
            return st.just(case)

        def use(parameters: dict[str, Any], token: bool) -> Any:
            # Assigning (not mutating) the containers makes schemathesis re-check whether the
            # case is still negative, so a generated bad value replaced by a real one is not
            # then expected to be rejected.
            case.path_parameters = {**case.path_parameters, **parameters}
            # Real data asked in preview gets the token, so drafts show (random cases cover the
            # 401); a token without preview must change nothing.
            if token or str((case.query or {}).get("preview")).lower() == "true":
                # The spec declares no security scheme; the token is a header the API reads.
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {PREVIEW_TOKEN}"}
            return case

        return st.one_of(st.just(case), st.builds(use, st.sampled_from(choices), st.booleans()))

    return flatmap_case


def filter_case(_context: Any, case: Any) -> bool:
    """A `filter_case` hook: valid cases keep the rules the document can only state in words.

    OpenAPI has no way to say that `sort=relevance` needs `q`, or that `q` needs a word that is
    not excluded (`-spam` and `OR` alone match its pattern): the API rightly refuses those.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return True
    query = case.query or {}
    if query.get("sort") == "relevance" and "q" not in query:
        return False
    if isinstance(query.get("q"), str):
        try:
            parse_query(query["q"])
        except QueryError:
            return False
    return True


@pytest.fixture
def spec_app(app: Flask, import_site: Callable[..., Any]) -> Flask:
    """The app on a database holding the sample sites (each has a draft), preview enabled."""
    for name in ("techblog", "handbook"):
        assert not import_site(SAMPLE_SITES / name).failed
    app.config["MDCMS_PREVIEW_TOKEN"] = PREVIEW_TOKEN
    return app


@pytest.fixture
def spec_schema(spec_app: Flask) -> BaseSchema:
    """The committed openapi.yaml, generating path parameters that are often real."""
    # The committed document, not the one the app generates: clients are built from this file,
    # and tests/api/test_openapi.py checks that the two are the same.
    schema = schemathesis.openapi.from_path(SPEC_PATH)
    schema.hook(often_real(real_parameters(spec_app.test_client())))
    schema.hook(filter_case)
    return schema


@pytest.fixture
def live_server(spec_app: Flask) -> Iterator[str]:
    """The app behind a real HTTP server on a free loopback port; its base URL."""
    with serve_wsgi(spec_app) as url:
        yield url


SPEC = schemathesis.pytest.from_fixture("spec_schema")
GENERATION = {"deadline": None, "suppress_health_check": list(HealthCheck)}


@SPEC.parametrize()
@settings(max_examples=EXAMPLES, **GENERATION)
def test_every_operation_conforms(case: Any, spec_app: Flask) -> None:
    # In-process, schemathesis sends requests' default Accept-Encoding but does not decode what
    # comes back; compressed bodies are checked by the run over HTTP, where requests decodes.
    case.call_and_validate(app=spec_app, headers=IDENTITY, checks=all_checks())


@SPEC.parametrize()
@settings(max_examples=HTTP_EXAMPLES, **GENERATION)
def test_every_operation_conforms_over_http(case: Any, live_server: str) -> None:
    # Through a real socket: Content-Length, gzip/br and chunking as a client sees them.
    case.call_and_validate(base_url=live_server, checks=all_checks())


@pytest.mark.parametrize(
    "bounds",
    [
        {"created_from": "0001-01-01T00:00:00+01:00"},  # before year 1 in UTC
        {"created_to": "9999-12-31T23:59:59-05:00"},  # after year 9999 in UTC
        {"created_from": "0001-01-01", "created_to": "9999-12-31"},
    ],
)
def test_date_bounds_at_the_ends_of_time(spec_app: Flask, bounds: dict[str, str]) -> None:
    # Found by schemathesis: converting such a bound to UTC overflowed into a 500.
    response = spec_app.test_client().get("/api/v1/sites/techblog/posts", query_string=bounds)
    assert response.status_code == 200
    assert response.get_json()["pagination"]["total"] > 0


@pytest.mark.parametrize("bound", ["0001-02-29", "9999-02-29 10:00", "0001-13-01", "9999-1-01"])
def test_malformed_dates_at_the_ends_of_time_are_still_422(spec_app: Flask, bound: str) -> None:
    response = spec_app.test_client().get(
        "/api/v1/sites/techblog/posts", query_string={"created_from": bound}
    )
    assert response.status_code == 422
