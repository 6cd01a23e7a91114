"""Artists and albums derived from the tracks' tags, and tracks as Subsonic "child" objects.

Moodroom stores tracks only; Subsonic clients browse artists and albums. Both are
grouped here from the tags (album artist, else artist; album name), with ids that
are stable digests of the names, so a client's cached ids survive a restart and a
rescan. The grouping is kept per process for ``TTL_S``, or until an analysis finishes
(the library's analysis generation in Redis moves): counting the tracks instead took
seconds per request on the embedded server with a few thousand tracks.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import re
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import redis
from flask import current_app

import settings
from models import Track, UserLibrary
from tasks.progress import ANALYSIS_GENERATION_KEY

TTL_S = 120.0  # a rebuild took 2.2 s for 5,000 tracks on the embedded server
UNKNOWN_ARTIST = "Unknown artist"
UNKNOWN_ALBUM = "Unknown album"
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


def _digest(prefix: str, *parts: str) -> str:
    text = "\x1f".join(p.strip().lower() for p in parts)
    return prefix + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def artist_id(name: str) -> str:
    return _digest("ar-", name)


def album_id(artist: str, album: str) -> str:
    return _digest("al-", artist, album)


@dataclass
class Album:
    id: str
    name: str
    artist: str
    artist_id: str
    track_ids: list[str] = field(default_factory=list)
    duration: float = 0.0
    year: int | None = None
    genre: str | None = None
    created: str = ""
    folders: set[int] = field(default_factory=set)  # music folder ids (1-based roots)
    words: tuple[str, ...] = ()  # of the name and the artist, for search


@dataclass
class Artist:
    id: str
    name: str
    album_ids: list[str] = field(default_factory=list)
    folders: set[int] = field(default_factory=set)
    words: tuple[str, ...] = ()


@dataclass
class LibraryView:
    artists: dict[str, Artist]
    albums: dict[str, Album]
    album_of: dict[str, str]  # track id -> album id
    genres: dict[str, list[str]]  # genre -> track ids
    folder_of: dict[str, int]  # track id -> music folder id
    words: dict[str, tuple[str, ...]]  # track id -> its normalised words (``Track.tokens``)
    built: float
    generation: int  # the library's analysis generation it was built at


_cache: dict[str, LibraryView] = {}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _redis():
    return redis.Redis.from_url(settings.redis_url(), socket_timeout=2)


def _generation() -> int:
    with contextlib.suppress(redis.RedisError):  # Redis away: the TTL alone decides
        return int(_redis().get(ANALYSIS_GENERATION_KEY) or 0)
    return -1


def view() -> LibraryView:
    """The current grouping (rebuilt after ``TTL_S`` or once an analysis finished)."""
    generation = _generation()
    cached = _cache.get("view")
    if cached and cached.generation == generation and time.monotonic() - cached.built < TTL_S:
        return cached
    with _lock:
        cached = _cache.get("view")
        if cached and cached.generation == generation and time.monotonic() - cached.built < TTL_S:
            return cached  # another thread built it meanwhile
        built = _build(generation)
        _cache["view"] = built
    return built


def forget() -> None:
    """Drop the cached grouping (tests, and after writes that change tags)."""
    _cache.pop("view", None)


def _build(generation: int) -> LibraryView:
    artists: dict[str, Artist] = {}
    albums: dict[str, Album] = {}
    album_of: dict[str, str] = {}
    genres: dict[str, list[str]] = {}
    folder_of: dict[str, int] = {}
    words: dict[str, tuple[str, ...]] = {}
    roots = [str(r).rstrip("/") + "/" for r in current_app.config["MUSIC_DIRS"]]
    rows = Track.objects(available=True).only("path", "tags", "duration", "created_at", "tokens")
    for row in rows.order_by("tags.track_no", "path").as_pymongo():
        tags = row.get("tags") or {}
        artist = (tags.get("album_artist") or tags.get("artist") or UNKNOWN_ARTIST).strip()
        album_name = (tags.get("album") or UNKNOWN_ALBUM).strip()
        ar_id, al_id = artist_id(artist), album_id(artist, album_name)
        if ar_id not in artists:
            artists[ar_id] = Artist(ar_id, artist or UNKNOWN_ARTIST)
        album = albums.get(al_id)
        if album is None:
            created = row.get("created_at")
            album = albums[al_id] = Album(al_id, album_name or UNKNOWN_ALBUM, artists[ar_id].name,
                                          ar_id, created=_iso(created))  # fmt: skip
            artists[ar_id].album_ids.append(al_id)
        album.track_ids.append(row["_id"])
        album.duration += float(row.get("duration") or 0)
        album.year = album.year or tags.get("year")
        album.genre = album.genre or tags.get("genre")
        album_of[row["_id"]] = al_id
        folder = next((i + 1 for i, r in enumerate(roots) if row["path"].startswith(r)), 0)
        folder_of[row["_id"]] = folder
        words[row["_id"]] = tuple(row.get("tokens") or ())
        album.folders.add(folder)
        artists[ar_id].folders.add(folder)
        if tags.get("genre"):
            genres.setdefault(tags["genre"], []).append(row["_id"])
    for item in (*artists.values(), *albums.values()):
        text = item.name if isinstance(item, Artist) else f"{item.name} {item.artist}"
        item.words = tuple(re.findall(r"\w+", text.lower()))
    return LibraryView(artists, albums, album_of, genres, folder_of, words, time.monotonic(),
                       generation)  # fmt: skip


def requested_folder() -> int | None:
    """The ``musicFolderId`` asked for (1-based, as ``getMusicFolders`` numbers them)."""
    from webapp.subsonic.registry import number
    from webapp.subsonic.responses import not_found

    folder = number("musicFolderId", 0, -1, 10**6)
    if not folder:
        return None
    if not 1 <= folder <= len(current_app.config["MUSIC_DIRS"]):
        raise not_found("Music folder")
    return folder


def in_folder(items, folder: int | None) -> list:
    """Artists or albums with music in ``folder`` (all of them when it is ``None``)."""
    return list(items) if folder is None else [i for i in items if folder in i.folders]


def _iso(value) -> str:
    if value is None:
        return "1970-01-01T00:00:00Z"
    if isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def iso_ms(ms: int | None) -> str | None:
    if not ms:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000)) + f".{ms % 1000:03d}Z"


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
    query = Track.objects(id__in=list(set(track_ids)))
    rows = {r["_id"]: r for r in query.only(*TRACK_FIELDS).as_pymongo()}
    mine = {
        r["track"]: r for r in UserLibrary.objects(user=user_id, track__in=list(rows)).as_pymongo()
    }
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
        "created": _iso(row.get("created_at")),
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
            item["played"] = _iso(mine["last_heard"])
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
