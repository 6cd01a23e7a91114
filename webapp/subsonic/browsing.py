"""Browsing by ID3 tags (artists, albums, songs, genres) and by folder-like directories."""

from __future__ import annotations

import time

from models import Track
from webapp.subsonic import items, library
from webapp.subsonic.registry import endpoint, number, text
from webapp.subsonic.responses import not_found, ok


@endpoint("getIndexes")
def get_indexes(user):
    lib = library.view()
    artists = library.in_folder(lib.artists.values(), library.requested_folder())
    return ok({"indexes": {"lastModified": int(time.time() * 1000), "ignoredArticles": "",
                           "index": items.indexed(artists)}})  # fmt: skip


@endpoint("getArtists")
def get_artists(user):
    lib = library.view()
    artists = library.in_folder(lib.artists.values(), library.requested_folder())
    return ok({"artists": {"ignoredArticles": "", "index": items.indexed(artists)}})


@endpoint("getArtist")
def get_artist(user):
    artist = library.requested("artist")
    albums = [items.album_item(library.view().albums[a]) for a in artist.album_ids]
    return ok({"artist": {**items.artist_item(artist), "album": albums}})


@endpoint("getAlbum")
def get_album(user):
    album = library.requested("album")
    songs = items.songs(album.track_ids, user.id)
    return ok({"album": {**items.album_item(album), "song": songs}})


@endpoint("getSong")
def get_song(user):
    found = items.songs([text("id", limit=64)], user.id)
    if not found:
        raise not_found("Song")
    return ok({"song": found[0]})


@endpoint("getMusicDirectory")
def get_music_directory(user):
    directory_id = text("id", limit=64)
    lib = library.view()
    if directory_id in lib.artists:
        artist = lib.artists[directory_id]
        children = [
            {"id": a.id, "parent": artist.id, "isDir": True, "title": a.name, "album": a.name,
             "artist": a.artist, "coverArt": a.id, "year": a.year, "genre": a.genre}
            for a in (lib.albums[i] for i in artist.album_ids)
        ]  # fmt: skip
        children = [{k: v for k, v in c.items() if v is not None} for c in children]
        return ok({"directory": {"id": artist.id, "name": artist.name, "child": children}})
    if directory_id in lib.albums:
        album = lib.albums[directory_id]
        return ok({"directory": {"id": album.id, "parent": album.artist_id, "name": album.name,
                                 "child": items.songs(album.track_ids, user.id)}})  # fmt: skip
    raise not_found("Directory")


@endpoint("getGenres")
def get_genres(user):
    lib = library.view()
    genres = []
    for name, track_ids in sorted(lib.genres.items(), key=lambda kv: kv[0].lower()):
        albums = {lib.album_of.get(t) for t in track_ids} - {None}
        genres.append({"value": name, "songCount": len(track_ids), "albumCount": len(albums)})
    return ok({"genres": {"genre": genres}})


@endpoint("getSongsByGenre")
def get_songs_by_genre(user):
    genre = text("genre", limit=200)
    count, offset = number("count", 10, 0, 500), number("offset", 0)
    lib, folder = library.view(), library.requested_folder()
    track_ids = [t for t in lib.genres.get(genre, []) if folder in (None, lib.folder_of.get(t))]
    track_ids = track_ids[offset : offset + count]
    return ok({"songsByGenre": {"song": items.songs(track_ids, user.id)}})


def track_exists(track_id: str) -> bool:
    return Track.objects(id=track_id, available=True).only("id").first() is not None
