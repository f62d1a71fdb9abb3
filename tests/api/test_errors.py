"""Every error class as application/problem+json: 400, 401, 404, 405, 422, 500, 503."""

from __future__ import annotations

import pytest

from mdcms_api.storage import post_queries

POSTS = "/api/v1/sites/blog/posts"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def test_an_unknown_query_parameter_is_a_400_naming_it(blog, get):
    body = problem(get(POSTS, autor="ann-lee"), 400)
    assert body["errors"] == {"autor": ["Unknown field."]}
    assert "autor" in body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/sites", "/api/v1/sites/blog", f"{POSTS}/first"])
def test_every_endpoint_rejects_unknown_parameters(blog, get, path):
    assert problem(get(path, page_sise=2), 400)["errors"] == {"page_sise": ["Unknown field."]}


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"page": "x"}, "page"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"sort": "slug"}, "sort"),
        ({"include": "body"}, "include"),
        ({"created_from": "2024-13-01"}, "created_from"),
        ({"created_to": "yesterday"}, "created_to"),
        ({"author": ""}, "author"),
        ({"preview": "maybe"}, "preview"),
    ],
)
def test_an_invalid_value_is_a_422_naming_the_parameter(blog, get, params, bad):
    assert list(problem(get(POSTS, **params), 422)["errors"]) == [bad]


def test_a_huge_page_number_is_refused_not_crashed(blog, get):
    problem(get(POSTS, page=10**30), 422)


def test_an_unknown_path_is_a_404(app, get):
    assert problem(get("/api/v1/nothing-here"), 404)["title"] == "Not Found"


def test_a_nul_in_a_path_is_a_404_not_a_driver_error(blog, get):
    problem(get("/api/v1/sites/blog/posts/a%00b"), 404)


def test_a_wrong_method_is_a_405_with_allow(blog, client):
    response = client.post(POSTS)
    problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_a_crash_is_a_500_without_a_stack_trace(blog, app, get, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(post_queries, "list_posts", broken)
    text = get(POSTS).get_data(as_text=True)
    body = problem(get(POSTS), 500)
    assert "secret internals" not in text and "Traceback" not in text
    assert body["title"] == "Internal Server Error"


def test_an_unready_database_is_a_503(app, get, monkeypatch):
    from mdcms_api.api import health

    monkeypatch.setattr(health, "check_database", lambda _engine: (False, "no schema"))
    assert problem(get("/api/v1/healthz"), 503)["detail"] == "no schema"
