"""GET /api/v1/healthz (and /healthz for load balancers)."""

from __future__ import annotations


def test_health(app, get):
    for path in ("/api/v1/healthz", "/healthz"):
        response = get(path)
        assert response.status_code == 200
        assert response.get_json()["status"] == "ok"
        assert response.headers["Cache-Control"] == "no-store"
