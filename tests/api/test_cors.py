"""CORS: preflight answered, ETag and Link exposed, origins configurable."""

from __future__ import annotations

from mdcms_api import create_app

POSTS = "/api/v1/sites/blog/posts"
PREFLIGHT = {
    "Origin": "https://front.example",
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization, if-none-match",
}


def test_any_origin_by_default(blog, get):
    response = get(POSTS, {"Origin": "https://front.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "link"} <= exposed


def test_a_preflight_is_answered(blog, client):
    response = client.options(POSTS, headers=PREFLIGHT)
    assert response.status_code == 200
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "if-none-match" in allowed


def test_errors_carry_cors_headers_too(blog, get):
    response = get("/api/v1/sites/nope", {"Origin": "https://front.example"})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_configured_origins_only(database_url):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "MDCMS_CORS_ORIGINS": "https://a.example"}
    )
    client = app.test_client()
    allowed = client.get("/api/v1/sites", headers={"Origin": "https://a.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Origin" in allowed.headers["Vary"]
    assert "Origin" in client.get("/api/v1/sites").headers["Vary"]
    other = client.get("/api/v1/sites", headers={"Origin": "https://b.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    app.extensions["mdcms.db"].dispose()
