"""Fixtures for the frontend tests: the sample sites served by a real HTTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.servers import serve_wsgi


@pytest.fixture
def serve_sites(
    app: Flask, import_site: Callable[..., Any], sample_sites: Path
) -> Iterator[Callable[..., str]]:
    """``serve_sites(*names)``: import those sample sites, serve the API; its base URL."""
    with ExitStack() as stack:

        def run(*names: str) -> str:
            for name in names:
                report = import_site(sample_sites / name)
                assert not report.failed, report.failed
            return stack.enter_context(serve_wsgi(app))

        yield run
