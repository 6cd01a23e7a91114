"""Tracks, albums and artists as the Subsonic objects clients read ("child", album, artist)."""

from __future__ import annotations

import mimetypes
import os

from flask import current_app

from models import UserLibrary, track_rows
from webapp.subsonic.library import (
    UNKNOWN_ARTIST,
    Album,
    Artist,
    LibraryView,
    artist_id,
    iso_date,
    iso_ms,
    view,
)

TRACK_FIELDS = ("path", "tags", "duration", "size", "created_at", "features", "available")
SUFFIX_TYPES = {
    "opus": "audio/ogg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "oga": "audio/ogg",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
}


def relative_path(path: str) -> str:
    """A track's path below its library root (the server's own layout stays private)."""
    for root in current_app.config["MUSIC_DIRS"]:
        root = str(root).rstrip("/") + "/"
        if path.startswith(root):
            return path[len(root) :]
    return os.path.basename(path)


def content_type(path: str) -> tuple[str, str]:
    suffix = os.path.splitext(path)[1].lstrip(".").lower()
    return suffix, SUFFIX_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "audio/mpeg"


def songs(track_ids: list[str], user_id: str, available_only: bool = True) -> list[dict]:
    """Child objects for ``track_ids``, in that order (unknown or gone tracks are left out)."""
    if not track_ids:
        return []
    rows = track_rows.rows_by_id(track_ids, *TRACK_FIELDS)
    mine = UserLibrary.rows_for(user_id, list(rows))
    lib = view()
    out = []
    for track_id in track_ids:
        row = rows.get(track_id)
        if row is None or (available_only and not row.get("available", True)):
            continue
        out.append(child(row, lib, mine.get(track_id)))
    return out


def child(row: dict, lib: LibraryView, mine: dict | None) -> dict:
    tags, features = row.get("tags") or {}, row.get("features") or {}
    path = row.get("path", "")
    suffix, mime = content_type(path)
    al_id = lib.album_of.get(row["_id"])
    album = lib.albums.get(al_id) if al_id else None
    item = {
        "id": row["_id"],
        "parent": al_id,
        "isDir": False,
        "title": tags.get("title") or os.path.basename(path),
        "album": album.name if album else tags.get("album"),
        "artist": tags.get("artist") or UNKNOWN_ARTIST,
        "track": tags.get("track_no"),
        "year": tags.get("year"),
        "genre": tags.get("genre"),
        "coverArt": al_id,
        "size": row.get("size"),
        "contentType": mime,
        "suffix": suffix,
        "duration": round(row.get("duration") or 0),
        "path": relative_path(path),
        "created": iso_date(row.get("created_at")),
        "albumId": al_id,
        "artistId": album.artist_id if album else artist_id(tags.get("artist") or ""),
        "type": "music",
        "mediaType": "song",
        "isVideo": False,
        "bpm": round(features["bpm"]) if features.get("bpm") else None,
    }
    if mine:
        item["playCount"] = mine.get("play_count") or 0
        item["starred"] = iso_ms(mine.get("starred_ms"))
        item["userRating"] = mine.get("rating") or None
        if mine.get("last_heard"):
            item["played"] = iso_date(mine["last_heard"])
    return {k: v for k, v in item.items() if v is not None}


def album_item(album: Album, starred: dict | None = None) -> dict:
    item = {
        "id": album.id,
        "name": album.name,
        "artist": album.artist,
        "artistId": album.artist_id,
        "coverArt": album.id,
        "songCount": len(album.track_ids),
        "duration": round(album.duration),
        "created": album.created,
        "year": album.year,
        "genre": album.genre,
    }
    return {k: v for k, v in item.items() if v is not None}


def artist_item(artist: Artist) -> dict:
    return {"id": artist.id, "name": artist.name, "albumCount": len(artist.album_ids),
            "coverArt": artist.id}  # fmt: skip


def indexed(artists: list[Artist]) -> list[dict]:
    """Artists grouped by first letter, as ``getArtists``/``getIndexes`` give them."""
    groups: dict[str, list[Artist]] = {}
    for artist in sorted(artists, key=lambda a: a.name.lower()):
        first = artist.name[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(artist)
    return [{"name": letter, "artist": [artist_item(a) for a in group]}
            for letter, group in sorted(groups.items())]  # fmt: skip
