"""What a library scan and the catalog build read of the stored tracks, as plain rows."""

from __future__ import annotations

import numpy as np

from models.track import Track, TrackVector


def known_under(prefix: str) -> dict[str, tuple]:
    """Path -> (size, mtime, available) of every track whose file is under ``prefix``.

    Only the fields the comparison needs: a 10,000-track rescan stays fast. A path
    range rather than a regex: rule 2 of docs/data-layer.md.
    """
    query = Track.objects(__raw__={"path": {"$gte": prefix, "$lt": prefix + "\U0010ffff"}})
    return {
        row["path"]: (row.get("size"), row.get("mtime"), row.get("available", True))
        for row in query.only("path", "size", "mtime", "available").as_pymongo()
    }


def copies_under(prefix: str) -> dict[str, tuple[str, int | None]]:
    """Known copies under ``prefix``: copy path -> (track id, the track's size)."""
    copies = {}
    rows = Track.objects(other_paths__exists=True).only("id", "other_paths", "size")
    for row in rows.as_pymongo():
        for path in row.get("other_paths") or []:
            if path.startswith(prefix):
                copies[path] = (row["_id"], row.get("size"))
    return copies


def analysed_rows(ids: set[str] | None = None) -> list[dict]:
    """Available, analysed tracks (all, or only ``ids``) with the fields a catalog uses."""
    fields = ("id", "path", "tags", "features", "tag_scores", "duration", "fingerprint")
    query = Track.objects(available=True, analysis__status="done")
    if ids is not None:
        query = query.filter(id__in=list(ids))
    return list(query.only(*fields).as_pymongo())


def analysed_ids() -> set[str]:
    """Ids of the available, analysed tracks."""
    query = Track.objects(available=True, analysis__status="done").only("id")
    return {doc["_id"] for doc in query.as_pymongo()}


def vectors_of(track_ids: list[str]) -> dict[str, np.ndarray]:
    """The stored embedding of each of ``track_ids`` that has one."""
    rows = TrackVector.objects(id__in=track_ids).as_pymongo()
    return {v["_id"]: np.frombuffer(v["data"], dtype="<f4") for v in rows}
