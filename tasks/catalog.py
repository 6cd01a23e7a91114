"""Building the mood-search catalog from analysed tracks (``index.rebuild``)."""

from __future__ import annotations

import time
from functools import lru_cache

from celery.utils.log import get_task_logger

import settings
from core import catalog as core_catalog
from core.catalog import Catalog, CatalogCache, VectorIndex, catalog_row, track_vectors
from models import Track, track_scan
from models.base import new_id
from models.correction import corrected_features, effective_corrections
from models.index_build import DatabaseSource, publish
from redis_client import redis_client
from tasks.analysis_progress import analysis_generation, mark_index_stale
from tasks.celery_app import celery
from tasks.rebuild_schedule import record_rebuild_seconds

log = get_task_logger(__name__)
BUILT_GENERATION_KEY = "moodroom:index:built-generation"
BUILD_LOCK_KEY = "moodroom:index:build-lock"
BUILD_LOCK_S = 1800  # a full HNSW build at 1M tracks stays well inside
INCREMENTAL_MAX_SHARE = 0.1


def catalog_rows(ids: set[str] | None = None) -> list[dict]:
    """Available, analysed tracks (all, or only ``ids``) as dicts for ``Catalog.from_rows``."""
    docs = track_scan.analysed_rows(ids)
    # Editors' corrections win over the analysed tempo and key, in ranking, sequencing
    # and reasons alike.
    corrections = effective_corrections(None if ids is None else [d["_id"] for d in docs])
    for doc in docs:
        doc["features"] = corrected_features(doc.get("features") or {}, corrections.get(doc["_id"]))
    vectors = track_scan.vectors_of([d["_id"] for d in docs])
    return [catalog_row(doc, vectors.get(doc["_id"])) for doc in docs]


def build_catalog(version: str) -> Catalog:
    rows = catalog_rows()
    tag_names = sorted({name for row in rows for name in row["tags"]})
    return Catalog.from_rows(rows, tag_names, version=version)


@lru_cache(maxsize=1)
def catalog_cache() -> CatalogCache:
    """This worker process's copy of the current build (fetched from MongoDB when needed)."""
    return CatalogCache(settings.data_dir(), DatabaseSource())


@celery.task(name="index.rebuild")
def rebuild_index(force: bool = False) -> dict:
    """Bring the catalog and FAISS index up to date with finished analyses.

    New tracks are appended to the current index (same percentile tables) when
    they are few and nothing else changed; otherwise everything is rebuilt. The
    build is published to MongoDB (``models/index_build.py``), one builder at a
    time across every machine (a Redis lock).
    """
    with redis_client().lock(BUILD_LOCK_KEY, timeout=BUILD_LOCK_S, blocking_timeout=BUILD_LOCK_S):
        return _rebuild(force)


def _rebuild(force: bool) -> dict:
    started = time.monotonic()
    generation = analysis_generation()
    built = int(redis_client().get(BUILT_GENERATION_KEY) or -1)
    current = DatabaseSource().latest()
    if not force and built >= generation and current:
        return {"rebuilt": False, "version": current}
    done = Track.objects(available=True, analysis__status="done")
    version = f"g{generation}-{done.count()}-{new_id()[:6]}"
    extended = None if force or not current else _extend(version, built)
    if extended is None:
        catalog = build_catalog(version)
        index = core_catalog.build_index(catalog)
        result = {"rebuilt": True, "incremental": False, "version": version,
                  "tracks": len(catalog), "kind": index.kind}  # fmt: skip
    else:
        catalog, index, added = extended
        result = {"rebuilt": True, "incremental": True, "version": version,
                  "tracks": len(catalog), "added": added, "kind": index.kind}  # fmt: skip
    manifest, blobs = core_catalog.pack_build(catalog, index)
    published = publish(manifest, blobs, generation=generation)
    catalog_cache().remember(manifest, blobs, catalog, index)
    result["uploaded_bytes"] = published["uploaded_bytes"]
    redis_client().set(BUILT_GENERATION_KEY, generation)
    record_rebuild_seconds(time.monotonic() - started)
    log.info("index %s", result)
    return result


def _extend(version: str, built: int):
    """``(catalog, index, added)`` with newly analysed tracks appended, or ``None`` to rebuild."""
    loaded = catalog_cache().get()
    if loaded is None:
        return None
    previous, current_index = loaded
    known = set(previous.ids)
    now = track_scan.analysed_ids()
    new_ids = now - known
    if not new_ids or not known <= now or len(new_ids) > INCREMENTAL_MAX_SHARE * len(known):
        return None
    # A known track analysed again (its file changed) needs new percentiles: rebuild.
    if built < 0 or Track.objects(analysis__generation__gt=built, id__nin=list(new_ids)).count():
        return None
    rows = catalog_rows(new_ids)
    catalog = previous.extended(rows, version)
    # A copy: the cached index keeps answering queries on the previous catalog meanwhile.
    index = VectorIndex.from_bytes(current_index.to_bytes(), current_index.max_norm)
    try:
        index.add(track_vectors(catalog.pct[len(previous) :], catalog.tags_pct[len(previous) :]))
    except ValueError:
        return None  # outside the index's norm bound: rebuild
    return catalog, index, len(rows)


@celery.task(name="index.correction")
def correction_saved(track_id: str) -> dict:
    """A tempo or key was corrected: the next catalog carries it (a full rebuild)."""
    generation = mark_index_stale()
    Track.objects(id=track_id).update(set__analysis__generation=generation)
    return rebuild_index(force=True)
