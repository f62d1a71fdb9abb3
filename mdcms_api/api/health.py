"""The health check: the service answers and so does its database."""

from __future__ import annotations

from flask import current_app

from mdcms_api.api.blueprint import Blueprint
from mdcms_api.api.docs import API_PREFIX
from mdcms_api.api.errors import abort_problem, alt_responses
from mdcms_api.api.schemas import HealthSchema
from mdcms_api.storage.health import check_database

blp = Blueprint("health", __name__, url_prefix=API_PREFIX, description="Service health.")


@blp.route("/healthz")
@blp.doc(operationId="getHealth")
@blp.response(200, HealthSchema, headers={"ETag": "ETag", "Cache-Control": "Cache-Control"})
@alt_responses(blp, 304, 503)
def healthz() -> tuple[dict[str, str], dict[str, str]]:
    """Check that the service answers and its database has the schema this code needs."""
    healthy, reason = check_database(current_app.extensions["mdcms.db"].engine)
    if not healthy:
        abort_problem(503, reason, headers={"Cache-Control": "no-store"})
    return {"status": "ok", "database": reason}, {"Cache-Control": "no-store"}
