"""Draft preview: ``?preview=true`` with the configured bearer token shows drafts."""

from __future__ import annotations

import hmac

from flask import current_app, request

from mdcms_api.api.errors import abort_problem

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="preview"'}


def _bearer_token() -> str | None:
    authorization = request.authorization
    if authorization is None or authorization.type != "bearer":
        return None
    return authorization.token


def preview_granted(requested: bool) -> bool:
    """Whether this request sees drafts; a preview without the right token is a 401.

    The token is compared in constant time and never echoed or logged.
    """
    if not requested:
        return False
    expected = current_app.config["MDCMS_PREVIEW_TOKEN"]
    if not expected:
        abort_problem(401, "Preview is not enabled on this server.", headers=CHALLENGE)
    given = _bearer_token()
    if given is None:
        abort_problem(
            401, "Preview needs an 'Authorization: Bearer <token>' header.", headers=CHALLENGE
        )
    if not hmac.compare_digest(given.encode(), expected.encode()):
        abort_problem(401, "The preview token is not valid.", headers=CHALLENGE)
    return True
