"""Restoring a backup written by ``backup.py``.

Everything is checked before the first write: the manifest, every file's size
and sha256, that every line parses and that the counts agree. A damaged
backup therefore changes nothing. Documents are inserted as they are
(``insert_many`` keeps ``_id``; no upserts, which would mint ObjectId keys).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from bson.json_util import loads
from pymongo.errors import CollectionInvalid

from models.maintenance.backup import (
    FORMAT,
    INDEXES,
    JSON_OPTIONS,
    MANIFEST,
    VERSION,
    MaintenanceError,
    safe_file_name,
)
from models.maintenance.schema import user_collections


def read_manifest(path: Path) -> dict:
    """The manifest of the backup at ``path``, checked for shape (``MaintenanceError`` if not)."""
    if not path.exists():
        raise MaintenanceError(f"{path} does not exist")
    if not path.is_dir():
        raise MaintenanceError(
            f"{path} is not a directory (a backup is a directory with {MANIFEST})"
        )
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise MaintenanceError(f"{path} is not a complete backup: {MANIFEST} is missing")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MaintenanceError(f"{manifest_path} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise MaintenanceError(f"{manifest_path} is not a Moodroom backup manifest")
    if manifest.get("version") != VERSION:
        raise MaintenanceError(
            f"backup format version {manifest.get('version')!r} is not supported"
        )
    files, collections = manifest.get("files"), manifest.get("collections")
    if not isinstance(files, dict) or not isinstance(collections, dict) or INDEXES not in files:
        raise MaintenanceError(f"{manifest_path} lacks its file or collection list")
    for name, info in collections.items():
        if not isinstance(info, dict) or info.get("file") not in files:
            raise MaintenanceError(f"{manifest_path}: collection {name!r} has no listed file")
    if not all(safe_file_name(f) for f in files):
        raise MaintenanceError(f"{manifest_path} names files outside the backup directory")
    return manifest


def verify_backup(path: Path, manifest: dict) -> dict[str, list[dict]]:
    """Check sizes, checksums, lines and counts of every file; return the index specs."""
    for file_name, expected in manifest["files"].items():
        file_path = path / file_name
        if not file_path.is_file():
            raise MaintenanceError(f"{file_name} is missing from the backup")
        digest, size = hashlib.sha256(), 0
        with open(file_path, "rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
        if size != expected.get("bytes") or digest.hexdigest() != expected.get("sha256"):
            raise MaintenanceError(
                f"{file_name} does not match its checksum: the backup is damaged"
            )
    for info in manifest["collections"].values():
        count = sum(1 for _ in _documents(path / info["file"]))
        if count != info.get("count"):
            raise MaintenanceError(
                f"{info['file']} holds {count} documents, the manifest says {info.get('count')}"
            )
    try:
        indexes = json.loads((path / INDEXES).read_text("utf-8"))
    except ValueError as exc:
        raise MaintenanceError(f"{INDEXES} is not valid JSON: {exc}") from None
    if not isinstance(indexes, dict) or not all(
        isinstance(v, list) and all(isinstance(s, dict) and "fields" in s for s in v)
        for v in indexes.values()
    ):
        raise MaintenanceError(f"{INDEXES} does not map collections to index lists")
    return indexes


def restore(db, path: Path, force: bool = False, batch_size: int = 500, progress=None) -> dict:
    """Restore the backup at ``path`` into ``db``; returns a summary with per-collection counts.

    Refuses a database holding any document unless ``force``, which drops every
    collection first. ``progress(name, restored, expected)`` is called per collection.
    """
    manifest = read_manifest(path)
    try:
        indexes = verify_backup(path, manifest)
    except MaintenanceError as exc:
        raise MaintenanceError(f"{exc}; nothing was restored") from None
    existing = user_collections(db)
    counts = {n: db[n].count_documents({}) for n in existing}
    occupied = {n: c for n, c in counts.items() if c}
    if occupied and not force:
        raise MaintenanceError(
            f"database {db.name} is not empty ({sum(occupied.values())} documents in "
            f"{len(occupied)} collections); use --force to drop its collections first"
        )
    # Empty collections are dropped too: the server silently keeps an existing
    # index when create_index asks for the same keys with other options.
    for name in existing if force else [n for n in existing if n in manifest["collections"]]:
        db.drop_collection(name)
    results = {}
    for name, info in manifest["collections"].items():
        collection = db[name]
        _insert(collection, path / info["file"], batch_size)
        specs = indexes.get(name, [])
        for spec in specs:
            options = {k: v for k, v in spec.items() if k != "fields"}
            collection.create_index([tuple(f) for f in spec["fields"]], **options)
        if not specs and not info["count"]:
            with contextlib.suppress(CollectionInvalid):
                db.create_collection(name)
        restored = collection.count_documents({})
        results[name] = {"expected": info["count"], "restored": restored, "indexes": len(specs)}
        if progress:
            progress(name, restored, info["count"])
    wrong = sorted(n for n, r in results.items() if r["restored"] != r["expected"])
    return {
        "database": db.name,
        "source": manifest.get("database"),
        "created_at": manifest.get("created_at"),
        "collections": results,
        "documents": sum(r["restored"] for r in results.values()),
        "mismatched": wrong,
    }


def _documents(file_path: Path):
    with open(file_path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                doc = loads(line, json_options=JSON_OPTIONS)
            except (ValueError, TypeError, KeyError) as exc:
                raise MaintenanceError(f"{file_path.name} line {number}: {exc}") from None
            if not isinstance(doc, dict):
                raise MaintenanceError(f"{file_path.name} line {number}: not a document")
            yield doc


def _insert(collection, file_path: Path, batch_size: int) -> None:
    batch = []
    for doc in _documents(file_path):
        batch.append(doc)
        if len(batch) >= batch_size:
            collection.insert_many(batch, ordered=True)
            batch = []
    if batch:
        collection.insert_many(batch, ordered=True)
