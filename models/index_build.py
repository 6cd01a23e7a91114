"""Catalog and index builds stored in MongoDB, so no process needs a shared disk.

A build is an ``IndexBuild`` (version, publication number, manifest) plus the
``IndexBlob`` documents its manifest names (one document per blob, at most 8 MB,
keyed by the blob's sha256, so consecutive builds share unchanged blobs). The
current build is the one with the highest ``seq``.

Plain documents rather than GridFS: on the embedded server GridFS's dotted
collection names break ``count_documents``, its compound chunk index is stored as
one unknown field, and a large file's chunks come back in one reply above the
driver's message limit. One document per blob is valid on both servers.

Publishing is not safe against a second publisher at the same time (``seq`` and
pruning): the caller holds a lock (``tasks/catalog.py`` takes one in Redis).
"""

from __future__ import annotations

import contextlib
import json

from bson import Binary
from mongoengine import BinaryField, IntField, ListField, LongField, NotUniqueError, StringField
from pymongo.errors import DuplicateKeyError

from core.catalog import blob_keys
from models.base import BaseDocument, utcnow

KEEP_BUILDS = 3


class IndexBuild(BaseDocument):
    """One published catalog build."""

    meta = {
        "collection": "index_builds",
        "indexes": [{"fields": ["version"], "unique": True}, {"fields": ["seq"], "unique": True}],
    }

    version = StringField(required=True)
    seq = LongField(required=True)  # 1, 2, 3 ... in publication order
    generation = IntField(default=0)  # analysis generation it includes
    manifest = StringField(required=True)  # JSON (core.catalog.pack_build)
    blobs = ListField(StringField())
    size = LongField(default=0)  # bytes of all its blobs


class IndexBlob(BaseDocument):
    """One blob of one or more builds; ``id`` is its sha256."""

    meta = {"collection": "index_blobs", "indexes": ["created_at"]}

    data = BinaryField(required=True)
    size = IntField(required=True)


def publish(manifest: dict, blobs: dict[str, bytes], generation: int = 0) -> dict:
    """Store a build (only the blobs not stored yet), make it current, prune old builds."""
    keys = blob_keys(manifest)
    present = set(IndexBlob.objects(id__in=keys).scalar("id"))
    uploaded = 0
    for key in keys:
        if key in present:
            continue
        data = blobs[key]
        with contextlib.suppress(DuplicateKeyError):  # stored meanwhile: the same bytes
            IndexBlob._get_collection().insert_one(
                {"_id": key, "data": Binary(data), "size": len(data), "created_at": utcnow()}
            )
        present.add(key)
        uploaded += len(data)
    last = IndexBuild.objects.order_by("-seq").only("seq").first()
    build = IndexBuild(
        version=manifest["version"],
        seq=(last.seq if last else 0) + 1,
        generation=generation,
        manifest=json.dumps(manifest),
        blobs=keys,
        size=sum(len(blobs[k]) for k in keys if k in blobs),
    )
    try:
        build.save(force_insert=True)
    except NotUniqueError as exc:
        raise ValueError(f"index build {manifest['version']} was already published") from exc
    prune()
    return {"seq": build.seq, "uploaded_bytes": uploaded, "blobs": len(keys)}


def prune(keep: int = KEEP_BUILDS) -> int:
    """Delete all but the newest ``keep`` builds, and every blob no kept build uses
    that is older than the newest build (so also those of a publisher that died
    before saving its ``IndexBuild``, but not those of one still uploading)."""
    builds = list(IndexBuild.objects.order_by("-seq").only("id", "seq", "blobs", "created_at"))
    if not builds:
        return 0
    old = builds[keep:]
    if old:
        IndexBuild.objects(id__in=[b.id for b in old]).delete()
    used = [key for build in builds[:keep] for key in build.blobs]
    IndexBlob.objects(id__nin=used, created_at__lte=builds[0].created_at).delete()
    return len(old)


class DatabaseSource:
    """``core.catalog.IndexSource`` over these documents."""

    def latest(self) -> str | None:
        doc = IndexBuild.objects.order_by("-seq").only("version").as_pymongo().first()
        return doc["version"] if doc else None

    def manifest(self, version: str) -> dict | None:
        doc = IndexBuild.objects(version=version).only("manifest").as_pymongo().first()
        return json.loads(doc["manifest"]) if doc else None

    def blob(self, key: str) -> bytes:
        doc = IndexBlob._get_collection().find_one({"_id": key}, {"data": 1})
        if doc is None:
            raise LookupError(f"index blob {key} is gone")
        return bytes(doc["data"])
