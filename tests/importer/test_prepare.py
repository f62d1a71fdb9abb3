"""Preparing files in worker processes gives exactly what preparing them in-process gives."""

from __future__ import annotations

from pathlib import Path

from mdcms_api.content.render import RenderSettings, SiteIndex
from mdcms_api.content.siteconfig import parse_site_config
from mdcms_api.importer.prepare import POOL_MIN_FILES, FileJob, PrepareContext, prepare_all
from mdcms_api.importer.scan import scan_site
from tests.corpus import generate_site
from tests.sites import write_file


def test_a_pool_of_workers_prepares_what_one_process_does(tmp_path: Path) -> None:
    root = tmp_path / "site"
    generate_site(root, POOL_MIN_FILES + 20, seed=3)
    write_file(root, "posts/2030-01-01-broken.md", "---\ndraft: perhaps\n---\n")
    scan = scan_site(root)
    context = PrepareContext(
        root,
        parse_site_config(None),
        RenderSettings(site="s"),
        SiteIndex({s.path: (s.kind, s.slug) for s in scan.documents}, frozenset(scan.assets)),
        max_file_bytes=1 << 20,
    )
    jobs = [FileJob(source, None) for source in scan.documents]
    # one file keeps its known hash: the worker must report it unchanged without rendering
    alone = list(prepare_all(jobs[:1], context, workers=1))
    jobs[0] = FileJob(jobs[0].source, alone[0].content_hash)

    serial = list(prepare_all(jobs, context, workers=1))
    pooled = list(prepare_all(jobs, context, workers=2))

    assert [o.job.source.path for o in pooled] == [job.source.path for job in jobs]
    assert pooled[0].unchanged and serial[0].unchanged
    assert [o.error for o in pooled] == [o.error for o in serial]
    assert sum(o.error is not None for o in pooled) == 1
    for one, other in zip(serial, pooled, strict=True):
        if one.prepared is not None:
            assert other.prepared is not None
            assert (one.prepared.rendered, one.content_hash) == (
                other.prepared.rendered,
                other.content_hash,
            )
