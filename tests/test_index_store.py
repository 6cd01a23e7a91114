"""Index builds live in MongoDB; ``DATA_DIR`` is only a cache each process may lose.

Runs on the embedded server; every operation used (insert, find by ``_id`` and
``$in``/``$nin``, sort on an indexed integer, delete) is plain MongoDB.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

import numpy as np
import pytest

from core.catalog import (
    Catalog,
    CatalogCache,
    VectorIndex,
    build_index,
    pack_build,
    query_vector,
    track_vectors,
    unpack_build,
)
from models import IndexBlob, IndexBuild
from models.index_build import DatabaseSource, prune, publish
from seeds.synthetic_library import synthetic_rows, tag_names


def make_catalog(n: int, version: str, seed: int = 0) -> Catalog:
    return Catalog.from_rows(synthetic_rows(n, seed=seed), tag_names(), version=version)


def answer(catalog: Catalog, index, k: int = 20) -> list[str]:
    """A fixed mood-like query: the ids of the top ``k`` tracks."""
    n_tags = len(catalog.tag_names)
    query = query_vector(
        np.array([0.7, 0.8, 0.5, 0.6, 0.4], dtype=np.float32),
        np.ones(5, dtype=np.float32),
        np.linspace(-1, 1, n_tags, dtype=np.float32),
    )
    rows, _ = index.search(query, k)
    return [catalog.ids[r] for r in rows]


@pytest.mark.parametrize("exact", [True, False])
def test_pack_then_unpack_gives_the_same_catalog_and_answers(exact):
    small = {"block_rows": 64, "max_blob": 50_000}  # several blocks and graph parts
    catalog = make_catalog(300, "v1")
    index = VectorIndex(track_vectors(catalog.pct, catalog.tags_pct), exact=exact)
    manifest, blobs = pack_build(catalog, index, **small)
    assert len(manifest["blocks"]) == 5 and bool(manifest["index"]["parts"]) is not exact
    back, back_index = unpack_build(manifest, blobs.__getitem__)
    assert back.ids == catalog.ids and back.text == catalog.text and back.version == "v1"
    assert np.array_equal(back.pct, catalog.pct) and np.array_equal(
        back.embeddings, catalog.embeddings
    )
    assert all(np.array_equal(back.raw[k], v) for k, v in catalog.raw.items())
    assert back.space.to_dict() == catalog.space.to_dict() and back_index.kind == index.kind
    assert answer(back, back_index) == answer(catalog, index)


def test_unpack_refuses_an_unknown_format():
    catalog = make_catalog(10, "v1")
    manifest, blobs = pack_build(catalog, build_index(catalog))
    with pytest.raises(ValueError, match="format"):
        unpack_build({**manifest, "format": 1}, blobs.__getitem__)


def test_a_process_fetches_once_and_survives_its_cache_being_deleted(app, tmp_path):
    small = {"block_rows": 64}
    catalog = make_catalog(300, "v1")
    manifest, blobs = pack_build(catalog, build_index(catalog), **small)
    publish(manifest, blobs)
    expected = answer(catalog, build_index(catalog))

    other = CatalogCache(tmp_path / "worker-b", DatabaseSource())
    assert answer(*other.get()) == expected and other.fetched == len(blobs)
    assert answer(*other.get()) == expected and other.fetched == len(blobs)  # memory

    shutil.rmtree(tmp_path / "worker-b")  # while "running"
    assert answer(*other.get()) == expected and other.fetched == 2 * len(blobs)
    assert answer(*other.get()) == expected and other.fetched == 2 * len(blobs)

    # A process restarted on its intact cache fetches nothing.
    restarted = CatalogCache(tmp_path / "worker-b", DatabaseSource())
    assert answer(*restarted.get()) == expected and restarted.fetched == 0


def test_an_appending_build_stores_and_fetches_only_the_new_blocks(app, tmp_path):
    small = {"block_rows": 64}
    first = make_catalog(256, "v1")
    manifest, blobs = pack_build(first, build_index(first), **small)
    assert publish(manifest, blobs)["uploaded_bytes"] == sum(map(len, blobs.values()))
    reader = CatalogCache(tmp_path / "reader", DatabaseSource())
    reader.get()

    second = first.extended(synthetic_rows(10, seed=9), "v2")
    manifest2, blobs2 = pack_build(second, build_index(second), **small)
    new = set(manifest2["blocks"]) - set(manifest["blocks"])
    assert len(new) == 1  # 256 rows filled 4 blocks; the 10 new rows make a fifth
    assert publish(manifest2, blobs2)["uploaded_bytes"] == sum(len(blobs2[k]) for k in new)
    fetched = reader.fetched
    catalog, index = reader.get()
    assert catalog.version == "v2" and len(catalog) == 266 and index.size == 266
    assert reader.fetched == fetched + 1


def test_a_version_is_published_once_and_old_builds_are_pruned(app):
    keys_by_version = {}
    for i in range(5):
        catalog = make_catalog(20, f"v{i}", seed=i)
        manifest, blobs = pack_build(catalog, build_index(catalog))
        assert publish(manifest, blobs)["seq"] == i + 1
        keys_by_version[f"v{i}"] = set(blobs)
    assert DatabaseSource().latest() == "v4"
    assert sorted(IndexBuild.objects.scalar("version")) == ["v2", "v3", "v4"]
    kept = keys_by_version["v2"] | keys_by_version["v3"] | keys_by_version["v4"]
    assert set(IndexBlob.objects.scalar("id")) == kept
    with pytest.raises(ValueError, match="already published"):
        publish(manifest, blobs)
    assert DatabaseSource().manifest("v0") is None
    with pytest.raises(LookupError):
        DatabaseSource().blob(next(iter(keys_by_version["v0"])))
    # A publisher that died after storing blobs leaves orphans: the next prune sweeps
    # them, but not the blobs of a publisher still uploading (newer than the last build).
    newest = IndexBuild.objects.get(version="v4").created_at
    IndexBlob(id="orphan", data=b"x", size=1, created_at=newest - timedelta(hours=1)).save()
    IndexBlob(id="uploading", data=b"y", size=1, created_at=newest + timedelta(seconds=5)).save()
    prune()
    assert set(IndexBlob.objects.scalar("id")) == kept | {"uploading"}


def test_a_corrupted_blob_is_refused(app, tmp_path):
    catalog = make_catalog(20, "v1")
    manifest, blobs = pack_build(catalog, build_index(catalog))
    publish(manifest, blobs)
    key = manifest["blocks"][0]
    IndexBlob._get_collection().update_one({"_id": key}, {"$set": {"data": b"not the block"}})
    with pytest.raises(ValueError, match="corrupted"):
        CatalogCache(tmp_path / "c", DatabaseSource()).get()


def test_every_process_follows_the_newest_build(app, tmp_path):
    cache = CatalogCache(tmp_path / "web", DatabaseSource())
    assert cache.get() is None  # nothing built yet
    big = make_catalog(120, "v1")
    publish(*pack_build(big, build_index(big)))
    assert len(cache.get()[0]) == 120
    smaller = make_catalog(50, "v2", seed=9)
    publish(*pack_build(smaller, build_index(smaller)))
    catalog, index = cache.get()
    assert catalog.version == "v2" and len(catalog) == 50 and index.size == 50
    assert sorted(p.name for p in (tmp_path / "web" / "index" / "builds").iterdir()) == ["v2.json"]
