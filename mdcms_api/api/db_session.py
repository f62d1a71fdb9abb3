"""One read session per request, opened on first use and closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def read_session() -> Session:
    """The request's database session."""
    if "mdcms_session" not in g:
        g.mdcms_session = current_app.extensions["mdcms.db"].sessions()
    return g.mdcms_session


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("mdcms_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Close the request's session at the end of every request."""
    app.teardown_appcontext(_close_session)
