"""The API's Blueprint: query parameters it does not declare are errors, slugs are bounded."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

import flask_smorest
import marshmallow as ma
from flask import Request
from webargs.flaskparser import FlaskParser
from werkzeug.routing import BaseConverter

from mdcms_api.api.errors import validation_status
from mdcms_api.api.schemas import MAX_SLUG_LENGTH


class StrictQueryParser(FlaskParser):
    """Raises on unknown query parameters (webargs excludes them by default): 400, else 422."""

    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict[str, str | None]] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": ma.RAISE,
    }

    def handle_error(
        self,
        error: ma.ValidationError,
        req: Request,
        schema: ma.Schema,
        *,
        error_status_code: int | None,
        error_headers: Any,
    ) -> NoReturn:
        status = validation_status(error.messages if isinstance(error.messages, dict) else {})
        super().handle_error(
            error, req, schema, error_status_code=status, error_headers=error_headers
        )


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest Blueprint with the strict query parser."""

    ARGUMENTS_PARSER = StrictQueryParser()


class SlugConverter(BaseConverter):
    """A path segment short enough to be a slug and free of NUL (PostgreSQL rejects it in text)."""

    regex = rf"[^/\x00]{{1,{MAX_SLUG_LENGTH}}}"
