"""openapi.yaml is what the app serves, it validates, and it documents every response."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.yaml"
OPERATIONS = {
    "listSites",
    "getSite",
    "listPosts",
    "getPost",
    "listAuthors",
    "getAuthor",
    "listKeywords",
    "getKeyword",
    "listPages",
    "getPage",
    "searchSite",
    "getAsset",
    "getHealth",
}


@pytest.fixture
def served(app, get) -> dict:
    return get("/api/v1/openapi.json").get_json()


def operations(spec: dict) -> list[dict]:
    return [
        operation
        for path in spec["paths"].values()
        for method, operation in path.items()
        if method in {"get", "head", "post", "put", "patch", "delete"}
    ]


def test_the_committed_file_is_what_the_app_serves(served):
    assert yaml.safe_load(COMMITTED.read_text(encoding="utf-8")) == served, (
        "openapi.yaml is stale: run `flask openapi write --format=yaml openapi.yaml`"
    )


def test_the_documented_command_regenerates_it(app, runner, served, tmp_path):
    target = tmp_path / "openapi.yaml"
    result = runner.invoke(args=["openapi", "write", "--format=yaml", str(target)])
    assert result.exit_code == 0, result.output
    # flask-smorest exits 0 and writes nothing when PyYAML is missing: check the file.
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == served


def test_it_validates(served):
    assert served["openapi"] == "3.1.0"
    validate(served)


def test_operation_ids(served):
    assert {operation["operationId"] for operation in operations(served)} == OPERATIONS


def test_every_operation_documents_its_errors_as_problems(served):
    for operation in operations(served):
        responses = operation["responses"]
        assert "default" in responses
        assert {"500", "503"} & responses.keys()
        assert "304" in responses
    for name, response in served["components"]["responses"].items():
        if name != "NOT_MODIFIED":
            assert list(response["content"]) == ["application/problem+json"], name


def test_always_present_fields_are_required(served):
    schemas = served["components"]["schemas"]
    summary = schemas["PostSummary"]
    assert {"slug", "title", "created", "modified", "author", "authors", "keywords", "url"} <= set(
        summary["required"]
    )
    assert not {"html", "markdown", "text"} & set(summary["required"])
    assert {"html", "markdown", "toc", "previous", "next"} <= set(schemas["Post"]["required"])
    assert set(schemas["Pagination"]["required"]) == set(schemas["Pagination"]["properties"])
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail"}


def test_interactive_docs(app, get):
    response = get("/api/v1/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.get_data(as_text=True)
