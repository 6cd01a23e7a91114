"""Writing a backup: one JSON-lines file per collection, the indexes and a manifest.

Documents are MongoDB Extended JSON in canonical mode, so datetimes, binary
data, ObjectIds and 64-bit integers come back as exactly what was stored.
The manifest is written last: a directory without one is an unfinished backup.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from bson.binary import UuidRepresentation
from bson.json_util import CANONICAL_JSON_OPTIONS, dumps

from models.maintenance.schema import (
    declared_collections,
    declared_indexes,
    present_indexes,
    user_collections,
)

FORMAT = "moodroom-backup"
VERSION = 1
MANIFEST = "manifest.json"
INDEXES = "indexes.json"
JSON_OPTIONS = CANONICAL_JSON_OPTIONS.with_options(uuid_representation=UuidRepresentation.STANDARD)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class MaintenanceError(Exception):
    """A backup, restore or check that cannot go ahead; the message says why."""


def backup(db, path: Path, batch_size: int = 500, progress=None) -> dict:
    """Write every collection of ``db`` into the new or empty directory ``path``.

    Returns the manifest. ``progress(name, count)`` is called after each collection.
    """
    _prepare_directory(path)
    declared = declared_collections()
    collections, files, indexes = {}, {}, {}
    for number, name in enumerate(user_collections(db), start=1):
        file_name = f"{name}.jsonl" if _SAFE_NAME.match(name) else f"collection-{number}.jsonl"
        count, digest, size = _dump(db[name], path / file_name, batch_size)
        collections[name] = {"file": file_name, "count": count}
        files[file_name] = {"sha256": digest, "bytes": size}
        doc = declared.get(name)
        if doc is not None:
            indexes[name] = declared_indexes(doc)
        else:
            indexes[name] = [
                {k: v for k, v in spec.items() if k != "name"} for spec in present_indexes(db[name])
            ]
        if progress:
            progress(name, count)
    files[INDEXES] = _write_json(path / INDEXES, indexes)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "database": db.name,
        "collections": collections,
        "files": files,
    }
    _write_json(path / MANIFEST, manifest)
    return manifest


def safe_file_name(name) -> bool:
    """True for a plain file name inside the backup directory (no separators, no ``..``)."""
    return isinstance(name, str) and bool(_SAFE_NAME.match(name))


def _prepare_directory(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise MaintenanceError(f"{path} exists and is not a directory")
    if path.is_dir() and any(path.iterdir()):
        raise MaintenanceError(f"{path} is not empty: back up into a new or empty directory")
    path.mkdir(parents=True, exist_ok=True)


def _dump(collection, file_path: Path, batch_size: int) -> tuple[int, str, int]:
    digest, count, size = hashlib.sha256(), 0, 0
    with open(file_path, "wb") as out:
        for doc in collection.find({}, batch_size=batch_size):
            line = (dumps(doc, json_options=JSON_OPTIONS) + "\n").encode("utf-8")
            digest.update(line)
            out.write(line)
            count += 1
            size += len(line)
    return count, digest.hexdigest(), size


def _write_json(file_path: Path, data) -> dict:
    raw = (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")
    file_path.write_bytes(raw)
    return {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
