"""The serving benchmarks: the API under gunicorn, loaded by wrk, beside a bare-Flask floor."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from benchmarks.bare_flask import BODY_FILE_VARIABLE, CONTENT_TYPE_VARIABLE
from benchmarks.corpus import CACHE_DIR, SITE_SLUG, Corpus
from benchmarks.procs import gunicorn
from benchmarks.wrk import Load, load

API_APP = "mdcms_api:create_app()"
FLOOR_APP = "benchmarks.bare_flask:create_app()"
LIST_PATH = f"/api/v1/sites/{SITE_SLUG}/posts"
# Where search may live once it lands; the first that answers 200 is measured.
SEARCH_PATHS = (f"{LIST_PATH}?q={{word}}", f"/api/v1/sites/{SITE_SLUG}/search?q={{word}}")
WARMUP_SECONDS = 2
LOGS = CACHE_DIR / "logs"


@dataclass(frozen=True)
class Endpoint:
    """One URL to load, the status it must answer, and its target as a share of the floor."""

    name: str
    path: str
    floor_share: float
    expect: int = 200
    headers: tuple[str, ...] = ()


@dataclass
class Measurement:
    """wrk's numbers for an endpoint, or why there are none (``status`` was not as expected)."""

    endpoint: Endpoint
    load: Load | None = None
    status: int | None = None
    note: str = ""


@dataclass
class ServeResults:
    """Every endpoint of one run against one database, and the floor measured beside them."""

    n: int
    floors: list[Load] = field(default_factory=list)  # before and after the endpoints
    measurements: list[Measurement] = field(default_factory=list)
    list_bytes: int = 0


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """One request without Accept-Encoding (as wrk sends it): status, body, headers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _slug(name: str) -> str:
    from mdcms_api.content.slugs import slugify  # the importer's own slugs, so filters match

    return slugify(name)


def endpoints(base: str, corpus: Corpus, list_body: bytes, etag: str) -> list[Endpoint]:
    """The issue's endpoints, with values taken from the corpus and the list's first page."""
    first = json.loads(list_body)["items"][0]["slug"]
    one, two = (_slug(word) for word in corpus.top_keywords)
    search = _find_search(base, corpus.search_word)
    return [
        Endpoint("list (20 summaries)", LIST_PATH, 0.5),
        Endpoint("one post", f"{LIST_PATH}/{first}", 0.5),
        Endpoint("author filter", f"{LIST_PATH}?author={_slug(corpus.top_author)}", 0.5),
        Endpoint("two-keyword filter", f"{LIST_PATH}?keyword={one}&keyword={two}", 0.5),
        Endpoint("search", search, 0.25),
        Endpoint("304 revalidation", LIST_PATH, 0.7, 304, (f"If-None-Match: {etag}",)),
    ]


def _find_search(base: str, word: str) -> str:
    paths = [template.format(word=word) for template in SEARCH_PATHS]
    for path in paths:
        if _get(base + path)[0] == 200:
            return path
    return paths[0]


def _measure(base: str, endpoint: Endpoint, seconds: int) -> Measurement:
    headers = dict(header.split(": ", 1) for header in endpoint.headers)
    status, _body, _headers = _get(base + endpoint.path, headers)
    if status != endpoint.expect:
        return Measurement(endpoint, status=status, note=f"answers {status}")
    load(base + endpoint.path, WARMUP_SECONDS, endpoint.headers)
    measured = load(base + endpoint.path, seconds, endpoint.headers)
    _progress(
        f"  {endpoint.name}: {measured.requests_per_second:.0f} req/s, "
        f"p50 {measured.p50_ms:.2f} ms, p99 {measured.p99_ms:.2f} ms"
    )
    return Measurement(endpoint, measured, status, measured.problems())


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _api_env(url: str, extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra, "DATABASE_URL": url}


def measure_api(
    url: str,
    corpus: Corpus,
    seconds: int,
    only: tuple[str, ...] = (),
    server_env: dict[str, str] | None = None,
) -> tuple[list[Measurement], bytes, str]:
    """Load each endpoint of the API on the database at ``url``; also return the list's body.

    ``server_env`` is added to the server's environment (``MDCMS_RESPONSE_CACHE_SIZE=0``, say).
    """
    LOGS.mkdir(parents=True, exist_ok=True)
    env = _api_env(url, server_env or {})
    with gunicorn(API_APP, env, LOGS / "gunicorn-api.log", "/healthz") as base:
        status, body, headers = _get(base + LIST_PATH)
        if status != 200:
            raise RuntimeError(f"{LIST_PATH} answers {status}: {body[:300]!r}")
        chosen = endpoints(base, corpus, body, headers.get("ETag", '""'))
        if only:
            chosen = [endpoint for endpoint in chosen if endpoint.name in only]
        _progress(f"serving {corpus.n} posts from {url}")
        measured = [_measure(base, endpoint, seconds) for endpoint in chosen]
    return measured, body, headers.get("Content-Type", "application/json")


def measure_floor(body: bytes, content_type: str, seconds: int) -> Load:
    """Load the bare Flask app returning ``body`` under the same gunicorn settings."""
    LOGS.mkdir(parents=True, exist_ok=True)
    body_file = CACHE_DIR / "floor-body.json"
    body_file.write_bytes(body)
    env = {**os.environ, BODY_FILE_VARIABLE: str(body_file), CONTENT_TYPE_VARIABLE: content_type}
    with gunicorn(FLOOR_APP, env, LOGS / "gunicorn-floor.log", LIST_PATH) as base:
        load(base + LIST_PATH, WARMUP_SECONDS)
        floor = load(base + LIST_PATH, seconds)
    _progress(
        f"  floor (bare Flask): {floor.requests_per_second:.0f} req/s, "
        f"p50 {floor.p50_ms:.2f} ms, p99 {floor.p99_ms:.2f} ms"
    )
    return floor


def fetch_list(url: str) -> tuple[bytes, str]:
    """The list's first page as the API serves it (for the floor to return), and its type."""
    with gunicorn(API_APP, _api_env(url, {}), LOGS / "gunicorn-api.log", "/healthz") as base:
        status, body, headers = _get(base + LIST_PATH)
    if status != 200:
        raise RuntimeError(f"{LIST_PATH} answers {status}: {body[:300]!r}")
    return body, headers.get("Content-Type", "application/json")


def benchmark_serving(
    url: str, corpus: Corpus, seconds: int, server_env: dict[str, str] | None = None
) -> ServeResults:
    """The floor, every endpoint, the floor again: one server at a time.

    Measuring the floor on both sides shows how much the machine drifted during the run (other
    work on a shared machine), and their mean is what the endpoints are compared with.
    """
    LOGS.mkdir(parents=True, exist_ok=True)
    body, content_type = fetch_list(url)
    results = ServeResults(n=corpus.n, list_bytes=len(body))
    results.floors.append(measure_floor(body, content_type, seconds))
    results.measurements, _body, _type = measure_api(url, corpus, seconds, (), server_env)
    results.floors.append(measure_floor(body, content_type, seconds))
    return results
