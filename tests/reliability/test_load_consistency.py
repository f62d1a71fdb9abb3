"""A re-sync changing many files while readers hammer the API: no errors, no mixed responses."""

from __future__ import annotations

import http.client
import json
import threading
import time
from pathlib import Path

from tests.servers import serve_wsgi
from tests.sites import write_post

POSTS = 60
READERS = 4
MAX_SECONDS = 60  # a bound on the whole test, never reached when things work


def write_version(root: Path, version: int) -> set[str]:
    """Every post titled with ``version``; version 2 also renames a few. Returns the slugs."""
    slugs = set()
    for number in range(POSTS):
        slug = f"fresh-{number}" if version == 2 and number % 12 == 0 else f"post-{number}"
        write_post(
            root,
            f"2025-01-{number % 28 + 1:02d}-{slug}",
            f"Body of version {version}.\n",
            title=f"{slug} v{version}",
            author=f"Writer {number % 3} v{version}",
            keywords=[f"topic {number % 5}", f"edition v{version}"],
        )
        slugs.add(slug)
    if version == 2:
        for number in range(0, POSTS, 12):
            (root / f"posts/2025-01-{number % 28 + 1:02d}-post-{number}.md").unlink()
    return slugs


def read_until(port: int, stop: threading.Event, seen: list[tuple[int, dict]]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    deadline = time.monotonic() + MAX_SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        connection.request("GET", "/api/v1/sites/load/posts?page_size=100")
        response = connection.getresponse()
        seen.append((response.status, json.loads(response.read())))
    connection.close()


def versions_in(body: dict) -> set[str]:
    """Every version marker in one list response: titles, authors and keywords alike."""
    found = set()
    for item in body["items"]:
        found.add(item["title"].rsplit(" ", 1)[1])
        found.update(author["name"].rsplit(" ", 1)[1] for author in item["authors"])
        found.update(
            k["name"].rsplit(" ", 1)[1] for k in item["keywords"] if "edition" in k["name"]
        )
    return found


def test_readers_see_the_old_or_the_new_site_never_a_mix(app, import_site, tmp_path):
    root = tmp_path / "load"
    old_slugs = write_version(root, 1)
    assert import_site(root).committed
    stop = threading.Event()
    seen: list[list[tuple[int, dict]]] = [[] for _ in range(READERS)]
    with serve_wsgi(app) as url:
        port = int(url.rsplit(":", 1)[1])
        readers = [
            threading.Thread(target=read_until, args=(port, stop, seen[n])) for n in range(READERS)
        ]
        try:
            for reader in readers:
                reader.start()
            time.sleep(0.3)
            new_slugs = write_version(root, 2)
            report = import_site(root)
            time.sleep(0.3)
        finally:
            stop.set()
            for reader in readers:
                reader.join(timeout=MAX_SECONDS)
    assert report.committed and len(report.updated) == POSTS - 5 and len(report.added) == 5

    responses = [response for reader in seen for response in reader]
    assert [status for status, _body in responses] == [200] * len(responses)
    by_version = {"v1": 0, "v2": 0}
    for _status, body in responses:
        versions = versions_in(body)
        assert len(versions) == 1, f"one response mixes {versions}"
        version = versions.pop()
        slugs = {item["slug"] for item in body["items"]}
        assert slugs == (old_slugs if version == "v1" else new_slugs)
        assert body["pagination"]["total"] == len(slugs)
        by_version[version] += 1
    # the readers really were reading before and after the import's commit
    assert by_version["v1"] > 0 and by_version["v2"] > 0, by_version
