"""The mood-search catalog as the web process sees it: one cache shared by every blueprint.

Search, blends, history, playlists, the Library and the Subsonic API all read the current
index build through ``catalog_cache()``; it fetches a newer build from MongoDB when one
is published (``core.catalog._build_cache``).
"""

from __future__ import annotations

from functools import lru_cache

import settings
from core.catalog import CatalogCache
from models.index_build import DatabaseSource


@lru_cache(maxsize=1)
def catalog_cache() -> CatalogCache:
    """This web process's copy of the current build (fetched from MongoDB when needed)."""
    return CatalogCache(settings.data_dir(), DatabaseSource())
