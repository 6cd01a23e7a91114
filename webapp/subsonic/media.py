"""Audio (stream, download, cover art) and what people do with it (scrobble, star, rate)."""

from __future__ import annotations

import os

from flask import current_app, request
from werkzeug.utils import send_file

from core.files import inside
from models import Track, User, UserLibrary, track_rows
from models.base import now_ms
from webapp.subsonic import items, library
from webapp.subsonic.feedback import played_recently, record
from webapp.subsonic.lists import starred_others
from webapp.subsonic.registry import endpoint, flag, many, number, text
from webapp.subsonic.responses import NOT_AUTHORISED, SubsonicError, missing, not_found, ok


def _audio(as_attachment: bool):
    track = Track.objects(id=text("id", limit=64), available=True).only("id", "path").first()
    if track is None:
        raise not_found("Song")
    # The web player's checks: paths come from scans, but roots can change since.
    if not inside(track.path, current_app.config["MUSIC_DIRS"]):
        raise SubsonicError(NOT_AUTHORISED, "That file is outside the configured music folders.")
    if not os.path.isfile(track.path):
        raise not_found("The file (rescan the library)")
    _, mimetype = items.content_type(track.path)
    # Clients may POST (the formPost extension); ranges are answered for any method.
    environ = dict(request.environ, REQUEST_METHOD="GET")
    response = send_file(
        track.path, environ, mimetype=mimetype, as_attachment=as_attachment,
        download_name=os.path.basename(track.path), conditional=True, max_age=3600,
        response_class=current_app.response_class,
    )  # fmt: skip
    response.headers["Accept-Ranges"] = "bytes"
    return response


@endpoint("stream")
def stream(user):
    """The original file (no transcoding: ``format`` and ``maxBitRate`` are ignored)."""
    return _audio(as_attachment=False)


@endpoint("download")
def download(user):
    return _audio(as_attachment=True)


def cover_art(cover_id: str, size: int | None):
    """The image for an album (``al-``), artist (``ar-``), playlist (``pl-``) or song id,
    as a response, or ``None`` when there is none (clients then draw a placeholder).

    The picture is the one the web app shows (``models.cover_for``: embedded in the file
    or beside it), of the first track that has one; ``size`` asks for a thumbnail.
    """
    from flask import Response

    from models import cover_for, thumbnail_for

    lib = library.view()
    if cover_id.startswith("al-") and cover_id in lib.albums:
        track_ids = lib.albums[cover_id].track_ids
    elif cover_id.startswith("ar-") and cover_id in lib.artists:
        albums = [lib.albums[a] for a in lib.artists[cover_id].album_ids if a in lib.albums]
        track_ids = [t for album in albums for t in album.track_ids]
    elif cover_id.startswith(("pl-", "ar-", "al-")):
        return None  # playlists show no cover (it would reveal what a private one holds)
    else:
        track_ids = [cover_id]
    for track in Track.objects(id__in=track_ids[:20]):
        cover = cover_for(track)
        if cover is not None:
            data = thumbnail_for(cover, size) if size else cover.data
            mimetype = "image/jpeg" if size else _image_type(cover.data)
            response = Response(data, mimetype=mimetype)
            response.set_etag(f"{cover.id}-{size or 0}")
            response.cache_control.max_age = 7 * 86400
            return response.make_conditional(request)
    return None


def _image_type(data: bytes) -> str:
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


@endpoint("getCoverArt")
def get_cover_art(user):
    found = cover_art(text("id", limit=64), number("size", 0, 0, 4096) or None)
    if found is None:
        raise not_found("Cover art")
    return found


def _known_tracks(ids: list[str]) -> list[str]:
    known = track_rows.known_ids(ids)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise not_found(f"Song {unknown[0][:64]}")
    return ids


@endpoint("scrobble")
def scrobble(user):
    """``submission=false`` (now playing) is a play; ``true`` (listened) a completion."""
    ids = _known_tracks(many("id", 100) or [text("id")])
    submission = flag("submission", True)
    for track_id in ids:
        if submission:
            if not played_recently(user.id, track_id):  # a client that only submits
                record(user.id, track_id, "play")
            record(user.id, track_id, "complete")
        else:
            record(user.id, track_id, "play")
    return ok()


def _star(user, on: bool):
    song_ids, album_ids, artist_ids = many("id"), many("albumId"), many("artistId")
    if not (song_ids or album_ids or artist_ids):
        raise missing("id")
    _known_tracks(song_ids)
    lib = library.view()
    for ids, known, what in ((album_ids, lib.albums, "Album"), (artist_ids, lib.artists, "Artist")):
        for item in ids:
            if item not in known:
                raise not_found(what)
    now = now_ms()
    for track_id in song_ids:
        if on:
            record(user.id, track_id, "like", set__starred_ms=now)
        else:
            # 0, not unset: a missing field and ``$ne: null`` disagree on the embedded server.
            UserLibrary.objects(user=user.id, track=track_id).update(
                set__starred_ms=0, set__liked=None
            )
    if album_ids or artist_ids:
        stars = starred_others(user.id)
        for kind, ids in (("albums", album_ids), ("artists", artist_ids)):
            for item in ids:
                if on:
                    stars[kind][item] = now
                else:
                    stars[kind].pop(item, None)
        # Replaced as a whole value (embedded server: no in-place edits of nested lists).
        User.objects(id=user.id).update(**{"set__preferences__subsonic_starred": stars})
    return ok()


@endpoint("star")
def star(user):
    """Starring a song is a like (it steers mood playlists like the web player's ♥)."""
    return _star(user, True)


@endpoint("unstar")
def unstar(user):
    """Takes the star and the like flag back; the like event stays in the history."""
    return _star(user, False)


@endpoint("setRating")
def set_rating(user):
    track_id = text("id", limit=64)
    rating = number("rating", None, 0, 5)
    _known_tracks([track_id])
    record(user.id, track_id, "", set__rating=rating or None)
    return ok()
