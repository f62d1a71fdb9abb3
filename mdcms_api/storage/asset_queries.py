"""Read queries for assets: one file of a site by its path below assets/."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mdcms_api.storage.models import Asset, Site


def find_asset(session: Session, site_slug: str, path: str) -> Asset | None:
    """The asset at ``path`` in the site ``site_slug``, its bytes not yet read; None if none."""
    statement = (
        select(Asset)
        .join(Site, Site.id == Asset.site_id)
        .where(Site.slug == site_slug, Asset.path == path)
    )
    return session.scalar(statement)
