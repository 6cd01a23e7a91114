"""Artists and albums derived from the tracks' tags (``items.py`` makes Subsonic objects).

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
import re
import threading
import time
from dataclasses import dataclass, field

import redis
from flask import current_app

from models import track_rows
from models.base import iso_ms  # noqa: F401 - part of this module's face (items, lists, playlists)
from tasks.analysis_progress import analysis_generation

TTL_S = 120.0  # a rebuild took 2.2 s for 5,000 tracks on the embedded server
UNKNOWN_ARTIST = "Unknown artist"
UNKNOWN_ALBUM = "Unknown album"


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


def _generation() -> int:
    with contextlib.suppress(redis.RedisError):  # Redis away: the TTL alone decides
        return analysis_generation()
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
    fields = ("path", "tags", "duration", "created_at", "tokens")
    for row in track_rows.available_rows(*fields, order=("tags.track_no", "path")):
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
                                          ar_id, created=iso_date(created))  # fmt: skip
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


def requested(kind: str):
    """The artist or album (``kind``) the request's ``id`` names; "not found" otherwise."""
    from webapp.subsonic.registry import text
    from webapp.subsonic.responses import not_found

    found = getattr(view(), f"{kind}s").get(text("id", limit=64))
    if found is None:
        raise not_found(kind.capitalize())
    return found


def in_folder(items, folder: int | None) -> list:
    """Artists or albums with music in ``folder`` (all of them when it is ``None``)."""
    return list(items) if folder is None else [i for i in items if folder in i.folders]


def iso_date(value) -> str:
    if value is None:
        return "1970-01-01T00:00:00Z"
    if isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
