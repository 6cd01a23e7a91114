"""Older shapes and small methods clients call before anything else.

``getAlbumList``, ``search2`` and ``getStarred`` answer the same selections as their
ID3 versions, with albums as folder-like "child" directories (DSub and other older
clients browse this way). ``getUser`` tells a client what it may do; the info and
now-playing methods answer empty, so clients show nothing instead of an error.
"""

from __future__ import annotations

from flask import current_app

from models import User
from webapp.subsonic import items, library
from webapp.subsonic.lists import search, select_albums, starred
from webapp.subsonic.registry import endpoint, text
from webapp.subsonic.responses import NOT_AUTHORISED, SubsonicError, not_found, ok


def album_dir(album: library.Album, starred_at: str | None = None) -> dict:
    # Both the folder fields (title, isDir) and the ID3 ones (name, created): clients
    # read either, as they read Navidrome's answers.
    item = {"id": album.id, "parent": album.artist_id, "isDir": True, "title": album.name,
            "name": album.name, "album": album.name, "created": album.created,
            "artist": album.artist, "coverArt": album.id,
            "year": album.year, "genre": album.genre, "starred": starred_at,
            "duration": round(album.duration), "songCount": len(album.track_ids)}  # fmt: skip
    return {k: v for k, v in item.items() if v is not None}


@endpoint("getAlbumList")
def get_album_list(user):
    return ok({"albumList": {"album": [album_dir(a) for a in select_albums(user)]}})


@endpoint("search2")
def search2(user):
    artists, albums, song_ids = search(user)
    return ok({"searchResult2": {
        "artist": [{"id": a.id, "name": a.name} for a in artists],
        "album": [album_dir(a) for a in albums],
        "song": items.songs(song_ids, user.id),
    }})  # fmt: skip


@endpoint("getStarred")
def get_starred(user):
    artists, albums, track_ids = starred(user)
    return ok({"starred": {
        "artist": [{"id": a.id, "name": a.name, "starred": at} for a, at in artists],
        "album": [album_dir(a, at) for a, at in albums],
        "song": items.songs(track_ids, user.id),
    }})  # fmt: skip


ALLOWED = ("scrobblingEnabled", "settingsRole", "downloadRole", "playlistRole", "streamRole")
NOT_OFFERED = ("uploadRole", "coverArtRole", "commentRole", "podcastRole", "jukeboxRole",
               "shareRole", "videoConversionRole")  # fmt: skip


@endpoint("getUser")
def get_user(user):
    """Roles as Subsonic names them: what this person may do through the API."""
    name = text("username", limit=64)
    person = user if name.lower() == user.username.lower() else None
    if person is None:
        if not user.is_admin:
            raise SubsonicError(NOT_AUTHORISED, "Only administrators can see other people.")
        person = User.by_username(name)
        if person is None:
            raise not_found("User")
    folders = list(range(1, len(current_app.config["MUSIC_DIRS"]) + 1))
    roles = dict.fromkeys(ALLOWED, True) | dict.fromkeys(NOT_OFFERED, False)
    body = {"username": person.username, "email": person.email or "",
            "adminRole": bool(person.is_admin), **roles, "folder": folders}  # fmt: skip
    return ok({"user": body})


@endpoint("getNowPlaying")
def get_now_playing(user):
    return ok({"nowPlaying": {}})


@endpoint("getArtistInfo2")
def get_artist_info2(user):
    library.requested("artist")
    return ok({"artistInfo2": {}})


@endpoint("getAlbumInfo2")
def get_album_info2(user):
    library.requested("album")
    return ok({"albumInfo": {}})
