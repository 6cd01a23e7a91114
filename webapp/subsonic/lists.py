"""Album lists, random songs, search and starred items."""

from __future__ import annotations

import random
import re

from models import Track, User, UserLibrary
from webapp.subsonic import items, library
from webapp.subsonic.registry import endpoint, number, text
from webapp.subsonic.responses import MISSING_PARAMETER, SubsonicError, ok

LIST_TYPES = ("random", "newest", "frequent", "recent", "starred", "alphabeticalByName",
              "alphabeticalByArtist", "byYear", "byGenre", "highest")  # fmt: skip


def starred_others(user_id: str) -> dict:
    """Starred albums and artists (songs are starred in ``UserLibrary``)."""
    owner = User.objects(id=user_id).only("preferences").first()
    stored = ((owner.preferences or {}) if owner else {}).get("subsonic_starred") or {}
    albums, artists = stored.get("albums") or {}, stored.get("artists") or {}
    return {"albums": dict(albums), "artists": dict(artists)}


@endpoint("getAlbumList2")
def get_album_list2(user):
    page = select_albums(user)
    return ok({"albumList2": {"album": [items.album_item(a) for a in page]}})


def select_albums(user) -> list[library.Album]:
    """The page of albums ``getAlbumList``/``getAlbumList2`` ask for (``type``, ``size``...)."""
    kind = text("type", limit=40)
    if kind not in LIST_TYPES:
        raise SubsonicError(MISSING_PARAMETER, f"'type' must be one of: {', '.join(LIST_TYPES)}.")
    size, offset = number("size", 10, 0, 500), number("offset", 0)
    lib = library.view()
    albums = library.in_folder(lib.albums.values(), library.requested_folder())
    if kind == "random":
        random.shuffle(albums)
    elif kind == "newest":
        albums.sort(key=lambda a: a.created, reverse=True)
    elif kind == "alphabeticalByName":
        albums.sort(key=lambda a: a.name.lower())
    elif kind == "alphabeticalByArtist":
        albums.sort(key=lambda a: (a.artist.lower(), a.name.lower()))
    elif kind == "byYear":
        low, high = number("fromYear"), number("toYear")
        albums = [a for a in albums if a.year and min(low, high) <= a.year <= max(low, high)]
        albums.sort(key=lambda a: a.year, reverse=low > high)
    elif kind == "byGenre":
        genre = text("genre", limit=200)
        albums = [a for a in albums if a.genre == genre]
    elif kind == "starred":
        stars = starred_others(user.id)["albums"]
        albums = sorted((a for a in albums if a.id in stars), key=lambda a: stars[a.id],
                        reverse=True)  # fmt: skip
    else:  # frequent, recent, highest: from this person's listening
        score: dict[str, float] = {}
        for row in UserLibrary.rows_of(user.id):
            album_id = lib.album_of.get(row["track"])
            if album_id is None:
                continue
            if kind == "frequent":
                value = row.get("play_count") or 0
            elif kind == "highest":
                value = row.get("rating") or 0
            else:
                heard = row.get("last_heard")
                value = heard.timestamp() if hasattr(heard, "timestamp") else 0
            if value:
                score[album_id] = max(score.get(album_id, 0), value) if kind != "frequent" \
                    else score.get(album_id, 0) + value  # fmt: skip
        albums = sorted((a for a in albums if a.id in score), key=lambda a: score[a.id],
                        reverse=True)  # fmt: skip
    return albums[offset : offset + size]


@endpoint("getRandomSongs")
def get_random_songs(user):
    size = number("size", 10, 0, 500)
    genre = text("genre", required=False, limit=200)
    low, high = number("fromYear", -1), number("toYear", 10**6)
    lib, folder = library.view(), library.requested_folder()
    years = Track.available_years(genre)
    ids = [t for t, year in years.items() if folder in (None, lib.folder_of.get(t))
           and ((low < 0 and high >= 10**6) or low <= (year or -1) <= high)]  # fmt: skip
    chosen = random.sample(ids, min(size, len(ids)))
    return ok({"randomSongs": {"song": items.songs(chosen, user.id)}})


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", query.strip().strip('"').lower())[:5]


@endpoint("search3")
def search3(user):
    artists, albums, song_ids = search(user)
    return ok({"searchResult3": {
        "artist": [items.artist_item(a) for a in artists],
        "album": [items.album_item(a) for a in albums],
        "song": items.songs(song_ids, user.id),
    }})  # fmt: skip


def search(user) -> tuple[list[library.Artist], list[library.Album], list[str]]:
    """The pages of artists, albums and song ids ``search2``/``search3`` ask for."""
    query = request_query()
    words = _words(query)
    lib = library.view()

    def matches(tokens: tuple[str, ...]) -> bool:
        return all(any(t.startswith(w) for t in tokens) for w in words)

    folder = library.requested_folder()
    artists = [a for a in library.in_folder(lib.artists.values(), folder) if matches(a.words)]
    albums = [a for a in library.in_folder(lib.albums.values(), folder) if matches(a.words)]
    artists.sort(key=lambda a: a.name.lower())
    albums.sort(key=lambda a: (a.artist.lower(), a.name.lower()))
    a_count, a_offset = number("artistCount", 20, 0, 500), number("artistOffset", 0)
    b_count, b_offset = number("albumCount", 20, 0, 500), number("albumOffset", 0)
    s_count, s_offset = number("songCount", 20, 0, 500), number("songOffset", 0)
    # Songs match in memory on the tracks' stored words, as the web search matches
    # ``search_text`` (a regex over every track took 0.6 s with 5,000 on the embedded server).
    song_ids = [
        t for t, tokens in lib.words.items()
        if folder in (None, lib.folder_of.get(t))
        and all(any(token.startswith(w) for token in tokens) for w in words)
    ][s_offset : s_offset + s_count]  # fmt: skip
    return artists[a_offset : a_offset + a_count], albums[b_offset : b_offset + b_count], song_ids


def request_query() -> str:
    from flask import request

    value = request.values.get("query")
    if value is None:
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'query' is missing.")
    return value[:300]


@endpoint("getStarred2")
def get_starred2(user):
    artists, albums, track_ids = starred(user)
    return ok({"starred2": {
        "artist": [dict(items.artist_item(a), starred=at) for a, at in artists],
        "album": [dict(items.album_item(a), starred=at) for a, at in albums],
        "song": items.songs(track_ids, user.id),
    }})  # fmt: skip


def starred(user) -> tuple[list[tuple], list[tuple], list[str]]:
    """Starred artists and albums (each with when) and song ids, newest first."""
    lib = library.view()
    track_ids = UserLibrary.starred_track_ids(user.id)
    stars = starred_others(user.id)

    def newest(kind: str, known: dict) -> list[tuple]:
        items = sorted(stars[kind].items(), key=lambda kv: -kv[1])
        return [(known[i], library.iso_ms(ms)) for i, ms in items if i in known]

    return newest("artists", lib.artists), newest("albums", lib.albums), track_ids
