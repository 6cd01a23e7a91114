"""Similar songs, an artist's top songs, and the ``sonicSimilarity`` extension.

All from Moodroom's own data: musicnn embedding neighbours and the path finder
(``core/catalog/_similarity.py``, ``core/catalog/_sonic.py``), and play counts from people's
listening.
"""

from __future__ import annotations

from core.catalog import more_like, sonic_path, sonic_similar
from models import UserLibrary, track_rows
from webapp.catalog import catalog_cache
from webapp.subsonic import items, library
from webapp.subsonic.registry import endpoint, number, text
from webapp.subsonic.responses import not_found, ok


def _catalog():
    loaded = catalog_cache().get()
    if loaded is None:
        raise not_found("Analysed music (the library is not analysed yet)")
    return loaded[0]


def _analysed(catalog, track_id: str) -> str:
    if track_id not in catalog.position:
        raise not_found("Analysed song")
    return track_id


def _seed_tracks(item_id: str) -> list[str]:
    """Songs behind an artist, album or song id."""
    lib = library.view()
    if item_id in lib.artists:
        return [t for a in lib.artists[item_id].album_ids for t in lib.albums[a].track_ids]
    if item_id in lib.albums:
        return list(lib.albums[item_id].track_ids)
    return [item_id]


@endpoint("getSimilarSongs2")
@endpoint("getSimilarSongs")
def get_similar_songs2(user):
    item_id, count = text("id", limit=64), number("count", 50, 1, 500)
    catalog = _catalog()
    seeds = [t for t in _seed_tracks(item_id) if t in catalog.position]
    if not seeds:
        raise not_found("Analysed song, album or artist")
    ids = [item["id"] for item in more_like(catalog, seeds, count)]
    key = "similarSongs" if library_request_is("getSimilarSongs") else "similarSongs2"
    return ok({key: {"song": items.songs(ids, user.id)}})


def library_request_is(name: str) -> bool:
    from flask import request

    return request.path.rsplit("/", 1)[-1].removesuffix(".view") == name


@endpoint("getTopSongs")
def get_top_songs(user):
    artist, count = text("artist", limit=200), number("count", 50, 1, 500)
    lib = library.view()
    wanted = artist.strip().lower()
    track_ids = [r["_id"] for r in track_rows.available_rows("tags")
                 if (r.get("tags") or {}).get("artist", "").strip().lower() == wanted]  # fmt: skip
    if not track_ids:
        for a in lib.artists.values():  # an album artist's albums
            if a.name.strip().lower() == wanted:
                track_ids = [t for al in a.album_ids for t in lib.albums[al].track_ids]
    plays = UserLibrary.popularity(track_ids)
    ranked = sorted(track_ids, key=lambda t: -plays[t])[:count]
    return ok({"topSongs": {"song": items.songs(ranked, user.id)}})


def _matches(pairs: list[tuple[str, float]], user) -> list[dict]:
    songs = {s["id"]: s for s in items.songs([p[0] for p in pairs], user.id)}
    return [{"entry": songs[t], "similarity": s} for t, s in pairs if t in songs]


@endpoint("getSonicSimilarTracks")
def get_sonic_similar_tracks(user):
    catalog = _catalog()
    track_id = _analysed(catalog, text("id", limit=64))
    pairs = sonic_similar(catalog, track_id, number("count", 10, 1, 500))
    return ok({"sonicMatch": _matches(pairs, user)})


@endpoint("findSonicPath")
def find_sonic_path(user):
    catalog = _catalog()
    start = _analysed(catalog, text("startSongId", limit=64))
    end = _analysed(catalog, text("endSongId", limit=64))
    count = number("count", 25, 3, min(100, len(catalog)))
    return ok({"sonicMatch": _matches(sonic_path(catalog, start, end, count), user)})
