"""The site a request reads, once looked up: the row, its time zone, whether drafts show."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g

from mdcms_api.storage.models import Site


@dataclass(frozen=True)
class SiteContext:
    """The request's site and how to present it."""

    site: Site
    zone: ZoneInfo
    preview: bool  # drafts are shown

    @property
    def slug(self) -> str:
        """The site's slug."""
        return self.site.slug


@lru_cache(maxsize=256)
def zone_of(key: str) -> ZoneInfo:
    """The time zone named ``key``; UTC if this machine does not know it."""
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def set_current_site(context: SiteContext) -> None:
    """Make ``context`` the request's site."""
    g.mdcms_site = context


def current_site() -> SiteContext:
    """The request's site (set by the view before anything is written)."""
    return g.mdcms_site
