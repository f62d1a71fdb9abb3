"""Every error as ``application/problem+json`` (RFC 9457): our own, webargs' and werkzeug's."""

from __future__ import annotations

import http
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import flask_smorest
from flask import Response, current_app, json
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from mdcms_api.api.schemas import SEARCH_PARAMETER, ProblemSchema

PROBLEM_MEDIA_TYPE = "application/problem+json"
UNKNOWN_FIELD = "Unknown field."  # marshmallow's message for a key the schema does not declare


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | list[tuple[str, str]] | None = None,
) -> Response:
    """A problem+json response; ``errors`` names each bad parameter."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = dict(errors)
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE
    )
    response.headers.extend(headers or {})
    return response


def abort_problem(
    status: int,
    detail: str,
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> NoReturn:
    """Stop the request with a problem response."""
    flask_smorest.abort(status, message=detail, errors=errors, headers=headers)


def _flatten(messages: Any) -> list[str]:
    """marshmallow messages for one parameter (a list, or per-item dicts for lists) as strings."""
    if isinstance(messages, Mapping):
        return [
            f"item {key}: {text}" for key, value in messages.items() for text in _flatten(value)
        ]
    if isinstance(messages, list | tuple):
        return [text for item in messages for text in _flatten(item)]
    return [str(messages)]


def parameter_errors(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """webargs' ``{location: {parameter: messages}}`` as ``{parameter: [message, ...]}``."""
    return {
        name: _flatten(value)
        for by_name in messages.values()
        if isinstance(by_name, Mapping)
        for name, value in by_name.items()
    }


def _unknown(errors: Mapping[str, list[str]]) -> list[str]:
    return sorted(name for name, texts in errors.items() if UNKNOWN_FIELD in texts)


def validation_status(messages: Mapping[str, Any]) -> int:
    """400 when a parameter is not one we know (a typo must not be ignored) or the search query
    cannot be searched (it is a reader's text, not a client's malformed value), else 422."""
    errors = parameter_errors(messages)
    return 400 if _unknown(errors) or SEARCH_PARAMETER in errors else 422


def _validation_detail(status: int, errors: Mapping[str, list[str]]) -> str:
    if unknown := _unknown(errors):
        return f"Unknown query parameter: {', '.join(unknown)}."
    if status == 400:
        return f"Invalid search query ({SEARCH_PARAMETER}): {'; '.join(errors[SEARCH_PARAMETER])}."
    return f"Invalid value for: {', '.join(sorted(errors))}."


def http_exception_problem(error: HTTPException) -> Response:
    """The problem response for a werkzeug HTTP error, keeping its headers (Allow on a 405)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("errors")
    if errors is None and "messages" in data:
        errors = parameter_errors(data["messages"])
    detail = data.get("message")
    if detail is None:
        detail = _validation_detail(status, errors) if errors else error.description or ""
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    headers.extend((data.get("headers") or {}).items())
    return problem_response(status, detail, errors=errors, headers=headers)


class ProblemApi(flask_smorest.Api):
    """flask-smorest's Api with problem+json errors, served and documented alike."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        # flask-smorest documents errors as application/json with its own schema: replace both.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        """Answer every HTTP error, ours or the framework's (404, 405, 500...), as a problem."""
        return http_exception_problem(error)


def alt_responses(blueprint: flask_smorest.Blueprint, *statuses: int) -> Callable[[Any], Any]:
    """Document the other responses a view can give (problems, 304), by status."""

    def decorate(view: Any) -> Any:
        for status in statuses:
            view = blueprint.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view

    return decorate
