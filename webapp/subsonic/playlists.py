"""Playlists with the rooms' roles; every edit is a room op, so open rooms see it live.

Creating a playlist writes it directly (no room can be open on it yet). Every later
change (``createPlaylist`` with ``playlistId``, ``updatePlaylist``) goes through
``rooms.submit``, the service the ``/rooms`` Socket.IO namespace uses: logged,
versioned, role-checked and published to the room like a browser's edit.
Saved mood playlists and blends are playlists already; a fresh mood playlist for a
text comes from ``getMoodPlaylist`` (``mood.py``) with an id ``mood-<generation>``.
"""

from __future__ import annotations

from mongoengine.queryset.visitor import Q

import rooms
from core.collab import EDIT_ROLES, MAX_ADD
from models import BlendRun, Playlist, PlaylistEntry, Track, User
from models.base import new_id, now_ms
from webapp.subsonic import items, library, mood
from webapp.subsonic.registry import endpoint, flag, many, text
from webapp.subsonic.responses import (
    GENERIC,
    MISSING_PARAMETER,
    NOT_AUTHORISED,
    NOT_FOUND,
    SubsonicError,
    not_found,
    ok,
)

ADMIN_ROLES = ("owner", "admin")


def _visible(playlist_id: str, user) -> Playlist:
    playlist = Playlist.objects(id=playlist_id).first() if len(playlist_id) <= 64 else None
    if playlist is None or not (playlist.public or playlist.role_of(user.id)):
        raise not_found("Playlist")  # the same answer whether hidden or missing
    return playlist


def _entries(playlist_id: str) -> list[str]:
    return PlaylistEntry.track_ids_of([playlist_id])[playlist_id]


def _item(playlist: Playlist, user, track_ids: list[str], owners: dict,
          durations: dict | None = None) -> dict:  # fmt: skip
    durations = Track.durations(track_ids) if durations is None else durations
    return {
        "id": playlist.id,
        "name": playlist.name,
        "comment": playlist.description or "",
        "owner": owners.get(playlist.owner.id if playlist.owner else None, ""),
        "public": bool(playlist.public),
        "songCount": len(track_ids),
        "duration": round(sum(durations.get(t, 0) for t in track_ids)),
        "created": library.iso_date(playlist.created_at),
        "changed": library.iso_ms(playlist.edited_ms) or library.iso_date(playlist.created_at),
        "coverArt": f"pl-{playlist.id}",
        "readonly": playlist.role_of(user.id) not in EDIT_ROLES,
    }


def _owners(playlists) -> dict[str, str]:
    return User.usernames({p.owner.id for p in playlists if p.owner})


@endpoint("getPlaylists")
def get_playlists(user):
    who = text("username", required=False, limit=64)
    if who and who.lower() != user.username.lower() and not user.is_admin:
        raise SubsonicError(NOT_AUTHORISED, "Only administrators can see other people's lists.")
    person = User.by_username(who) if who else user
    if person is None:
        raise not_found("User")
    query = Q(owner=person.id) | Q(collaborators__user=person.id)
    if person.id == user.id:
        query |= Q(public=True)
    playlists = list(Playlist.objects(query).no_dereference().order_by("-edited_ms").limit(500))
    owners = _owners(playlists)
    entries = PlaylistEntry.track_ids_of([p.id for p in playlists])
    durations = Track.durations(t for ids in entries.values() for t in ids)
    items = [_item(p, user, entries[p.id], owners, durations) for p in playlists]
    return ok({"playlists": {"playlist": items}})


def _answer(playlist: Playlist, user):
    track_ids = _entries(playlist.id)
    songs = items.songs(track_ids, user.id)
    durations = {s["id"]: s.get("duration", 0) for s in songs}  # no second read of the tracks
    item = _item(playlist, user, track_ids, _owners([playlist]), durations)
    return ok({"playlist": {**item, "entry": songs}})


@endpoint("getPlaylist")
def get_playlist(user):
    playlist_id = text("id", limit=80)
    if playlist_id.startswith(mood.PREFIX):
        return ok({"playlist": mood.as_playlist(playlist_id, user)})
    return _answer(_visible(playlist_id, user), user)


def _submit(playlist_id: str, user, op: dict) -> None:
    try:
        rooms.submit(playlist_id, user.id, f"subsonic-{new_id()}", op)
    except rooms.OpError as exc:
        message = str(exc)
        code = NOT_AUTHORISED if "viewers" in message else NOT_FOUND if "unknown track" in message \
            else GENERIC  # fmt: skip
        raise SubsonicError(code, message[:1].upper() + message[1:] + ".") from None


def _editable(playlist_id: str, user) -> Playlist:
    playlist = _visible(playlist_id, user)
    if playlist.role_of(user.id) not in EDIT_ROLES:
        raise SubsonicError(NOT_AUTHORISED, "Viewers cannot edit this playlist.")
    return playlist


def _add(playlist_id: str, user, song_ids: list[str]) -> None:
    for start in range(0, len(song_ids), MAX_ADD):
        _submit(playlist_id, user, {"type": "add", "track_ids": song_ids[start : start + MAX_ADD]})


def _known(song_ids: list[str]) -> None:
    known = Track.available_ids(song_ids)
    for song_id in song_ids:
        if song_id not in known:
            raise not_found(f"Song {song_id[:64]}")


@endpoint("createPlaylist")
def create_playlist(user):
    playlist_id, name = text("playlistId", False, 64), text("name", False, 120)
    song_ids = many("songId", 5000)
    _known(song_ids)
    if playlist_id:  # replace the songs: remove every entry, then add, as room ops
        playlist = _editable(playlist_id, user)
        _, state = rooms.state_of(playlist.id)
        for entry in state.ordered():
            _submit(playlist.id, user, {"type": "remove", "entry_id": entry.id})
        _add(playlist.id, user, song_ids)
        if name:
            _submit(playlist.id, user, {"type": "rename", "name": name})
        return _answer(Playlist.objects(id=playlist.id).first(), user)
    if not name or not name.strip():
        raise SubsonicError(MISSING_PARAMETER, "Required parameter 'name' (or 'playlistId').")
    playlist = Playlist.with_tracks(
        song_ids, user.id, owner=user.id, name=name.strip(), edited_ms=now_ms()
    )
    return _answer(playlist, user)


@endpoint("updatePlaylist")
def update_playlist(user):
    playlist = _editable(text("playlistId", limit=64), user)
    name, comment = text("name", False, 120), text("comment", False, 2000)
    public = text("public", False, 10)
    to_add, to_remove = many("songIdToAdd", 5000), many("songIndexToRemove", 5000)
    _known(to_add)
    try:
        indices = sorted({int(i) for i in to_remove})
    except ValueError:
        raise SubsonicError(MISSING_PARAMETER, "'songIndexToRemove' must be positions.") from None
    if public is not None and playlist.role_of(user.id) not in ADMIN_ROLES:
        raise SubsonicError(NOT_AUTHORISED, "Only the owner or an admin can change who sees it.")
    _, state = rooms.state_of(playlist.id)
    ordered = state.ordered()
    if any(not 0 <= i < len(ordered) for i in indices):
        raise SubsonicError(NOT_FOUND, "'songIndexToRemove' is past the end of the playlist.")
    for entry in [ordered[i] for i in indices]:  # positions before any change, as clients mean
        _submit(playlist.id, user, {"type": "remove", "entry_id": entry.id})
    _add(playlist.id, user, to_add)
    if name is not None and name.strip():
        _submit(playlist.id, user, {"type": "rename", "name": name.strip()})
    if comment is not None:
        _submit(playlist.id, user, {"type": "describe", "description": comment})
    if public is not None:
        with rooms.changing(playlist.id) as fresh:
            if fresh is not None:
                fresh.update(set__public=flag("public"))
    return ok()


@endpoint("deletePlaylist")
def delete_playlist(user):
    playlist = _visible(text("id", limit=64), user)
    if playlist.role_of(user.id) != "owner":
        raise SubsonicError(NOT_AUTHORISED, "Only the owner can delete this playlist.")
    if BlendRun.objects(playlist=playlist.id).only("id").first() is not None:
        raise SubsonicError(NOT_AUTHORISED, "A blend's run stays with the blend.")
    # Listening history stays; it just no longer points at the playlist.
    rooms.delete_playlist(playlist.id, f"“{playlist.name}” was deleted by its owner.")
    return ok()
